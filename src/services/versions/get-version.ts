import { assertCan } from '../../auth/assert.ts';
import type { Content, ContentVersion } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { findContent } from '../content/get-content.ts';
import { findVersion } from './find-version.ts';

/** A version with its full snapshot, and the item it belongs to (which version is live, which is current). */
export async function getVersion({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; version: number };
}): Promise<{ item: Content; version: ContentVersion }> {
  assertCan(ctx.actor, 'content.read');
  const { db } = ctx.services;
  const item = await findContent(db, ctx, input.id);
  return { item, version: await findVersion(db, ctx, item.id, input.version) };
}
