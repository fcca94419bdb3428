import { and, count, desc, eq, sql } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { contentVersions, type Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { findContent } from '../content/get-content.ts';

export interface VersionSummary {
  version: number;
  action: string;
  authorType: string;
  authorId: string | null;
  message: string | null;
  createdAt: Date;
  title: string | null;
  status: string | null;
}

/**
 * Newest first. Only the title and status are read out of each snapshot, so a page of versions of a long
 * article does not carry its body twenty times; GET …/versions/{n} has the rest.
 */
export async function listVersions({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; page: number; limit: number };
}): Promise<{ item: Content; items: VersionSummary[]; total: number }> {
  assertCan(ctx.actor, 'content.read');
  const { db } = ctx.services;
  const item = await findContent(db, ctx, input.id);
  const where = and(eq(contentVersions.contentId, item.id), eq(contentVersions.organizationId, ctx.organizationId));
  const [items, [totals]] = await Promise.all([
    db
      .select({
        version: contentVersions.version,
        action: contentVersions.action,
        authorType: contentVersions.authorType,
        authorId: contentVersions.authorId,
        message: contentVersions.message,
        createdAt: contentVersions.createdAt,
        title: sql<string | null>`${contentVersions.snapshot} ->> 'title'`,
        status: sql<string | null>`${contentVersions.snapshot} ->> 'status'`,
      })
      .from(contentVersions)
      .where(where)
      .orderBy(desc(contentVersions.version))
      .limit(input.limit)
      .offset((input.page - 1) * input.limit),
    db.select({ total: count() }).from(contentVersions).where(where),
  ]);
  return { item, items, total: totals?.total ?? 0 };
}
