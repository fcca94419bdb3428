import { encodeCursor, type ListCursor } from './list-cursor.ts';
import { epochEntrySchema, LIST_TTL_SECONDS, listEntrySchema, sha256Base64Url, type ListEntry } from './cache-entries.ts';
import { fromDatabase, type DeliveryContext } from './delivery-context.ts';
import { deliveryKeys, INITIAL_EPOCH } from './delivery-keys.ts';
import { listPublishedItems, type PublishedListQuery } from './published-content.ts';
import type { DeliverySource } from './read-published-item.ts';

export interface DeliveredList {
  entry: ListEntry;
  source: DeliverySource;
}

export interface ListRequest extends Omit<PublishedListQuery, 'after'> {
  cursor?: ListCursor | undefined;
}

/** The page a list request names, keyed by everything that shapes it. */
export async function listQueryHash(query: ListRequest): Promise<string> {
  const canonical = JSON.stringify([query.type ?? null, query.platform ?? null, query.limit, query.cursor ? encodeCursor(query.cursor) : null]);
  return (await sha256Base64Url(canonical)).slice(0, 32);
}

/** Builds a page from Postgres, with the strong ETag of its exact bytes. */
export async function buildListEntry(ctx: Pick<DeliveryContext, 'services'>, organizationId: string, query: ListRequest): Promise<ListEntry> {
  const page = await listPublishedItems(ctx.services.db, organizationId, { ...query, after: query.cursor });
  const body = { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null };
  return { body, etag: `"l.${(await sha256Base64Url(JSON.stringify(body))).slice(0, 32)}"`, storedAt: new Date().toISOString() };
}

/**
 * List pages live under the organization's current epoch: a page is built whole from one read of
 * Postgres, and a publish moves readers to a new epoch at once, so no reader sees a page that mixes
 * before and after.
 */
export async function readPublishedList({ ctx, input }: { ctx: DeliveryContext; input: { organizationId: string; query: ListRequest } }): Promise<DeliveredList> {
  const epochRead = await ctx.store.read(deliveryKeys.epoch(input.organizationId), epochEntrySchema);
  const epoch = epochRead.status === 'hit' ? epochRead.value.epoch : INITIAL_EPOCH;
  const key = deliveryKeys.listPage(input.organizationId, epoch, await listQueryHash(input.query));
  const cached = epochRead.status === 'failed' ? epochRead : await ctx.store.read(key, listEntrySchema);
  if (cached.status === 'hit') return { entry: cached.value, source: 'kv' };
  const entry = await fromDatabase(ctx, () => buildListEntry(ctx, input.organizationId, input.query));
  if (cached.status === 'miss') ctx.services.defer(() => ctx.store.fill(key, entry, LIST_TTL_SECONDS));
  return { entry, source: 'database' };
}
