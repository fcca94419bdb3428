import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import type { Executor } from '../../db/executor.ts';
import { content, type Content } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

/** Another organization's item is exactly as absent as an unknown id. */
export async function findContent(db: Executor, ctx: TenantContext, id: string): Promise<Content> {
  const [item] = await db
    .select()
    .from(content)
    .where(and(eq(content.id, id), eq(content.organizationId, ctx.organizationId)))
    .limit(1);
  if (!item) throw notFound('content');
  return item;
}

export async function getContent({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<Content> {
  assertCan(ctx.actor, 'content.read');
  return findContent(ctx.services.db, ctx, input.id);
}
