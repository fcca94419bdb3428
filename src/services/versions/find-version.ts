import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { contentVersions, type ContentVersion } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

/** One version of an item of the organization; unknown (or another tenant's) is 404, naming the version asked for. */
export async function findVersion(
  db: Executor,
  ctx: TenantContext,
  contentId: string,
  version: number,
): Promise<ContentVersion> {
  const [row] = await db
    .select()
    .from(contentVersions)
    .where(
      and(
        eq(contentVersions.contentId, contentId),
        eq(contentVersions.organizationId, ctx.organizationId),
        eq(contentVersions.version, version),
      ),
    )
    .limit(1);
  if (!row) throw notFound(`content version ${version}`, { code: 'version_not_found' });
  return row;
}
