import { and, eq, inArray, max, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { apiKeys, contentVersions } from '../../db/schema/index.ts';

/** The version actions that change what the item says; workflow steps and compliance reviews only judge it. */
export const AUTHORING_ACTIONS = ['content.create', 'content.update', 'content.version_restore'];

/**
 * The latest version of this item that this person wrote since its last approval (or ever, if it was never
 * approved), or null when they wrote none. An approval is the moment a second person signed the text off,
 * so the words written after it are the ones nobody else has reviewed yet. A version written through an
 * API key is the key creator's. One round trip: the last approval is a subquery.
 */
export async function lastVersionAuthoredSinceApproval(
  tx: Executor,
  item: { id: string; organizationId: string },
  userId: string,
): Promise<number | null> {
  const ofItem = and(eq(contentVersions.contentId, item.id), eq(contentVersions.organizationId, item.organizationId));
  const lastApproval = tx
    .select({ version: max(contentVersions.version) })
    .from(contentVersions)
    .where(and(ofItem, eq(contentVersions.action, 'content.approve')));
  const [row] = await tx
    .select({ version: max(contentVersions.version) })
    .from(contentVersions)
    .leftJoin(apiKeys, and(eq(contentVersions.authorType, 'api_key'), eq(apiKeys.id, contentVersions.authorId)))
    .where(
      and(
        ofItem,
        inArray(contentVersions.action, AUTHORING_ACTIONS),
        sql`${contentVersions.version} > coalesce((${lastApproval}), 0)`,
        or(
          and(eq(contentVersions.authorType, 'user'), eq(contentVersions.authorId, userId)),
          eq(apiKeys.createdBy, userId),
        ),
      ),
    );
  return row?.version ?? null;
}
