import { sha256Base64Url } from '../../lib/sha256.ts';
import { encodeCursor, type ListCursor } from './list-cursor.ts';
import { epochEntrySchema, LIST_TTL_SECONDS, listEntrySchema, type ListEntry } from './cache-entries.ts';
import type { ServiceContext } from '../container.ts';
import { fromDatabase, kvAnswerMayBeStale } from './database-breaker.ts';
import { deliveryKeys, INITIAL_EPOCH } from './delivery-keys.ts';
import { listPublishedItems, type PublishedListQuery } from './published-content.ts';
import type { DeliverySource } from './read-published-item.ts';

export interface DeliveredList {
  entry: ListEntry;
  source: DeliverySource;
  /** Served from KV while the database seems down: it may lag behind what Postgres holds. */
  stale: boolean;
}

export interface ListRequest extends Omit<PublishedListQuery, 'after'> {
  cursor?: ListCursor | undefined;
}

/**
 * The page a list request names, keyed by everything that shapes it. Every part is already key-safe
 * (an enum, a platform slug, a number, a base64url cursor), so the key is the query itself: no digest
 * to compute on every request.
 */
export function listQueryKey(query: ListRequest): string {
  return [
    query.type ?? '-',
    query.platform ?? '-',
    String(query.limit),
    query.cursor ? encodeCursor(query.cursor) : '-',
  ].join('.');
}

/** Builds a page from Postgres, with the strong ETag of its exact bytes. */
export async function buildListEntry(
  ctx: Pick<ServiceContext, 'services'>,
  organizationId: string,
  query: ListRequest,
): Promise<ListEntry> {
  const page = await listPublishedItems(ctx.services.db, organizationId, { ...query, after: query.cursor });
  const body = { data: page.data, nextCursor: page.next ? encodeCursor(page.next) : null };
  return {
    body,
    etag: `"l.${(await sha256Base64Url(JSON.stringify(body))).slice(0, 32)}"`,
    storedAt: new Date().toISOString(),
  };
}

/**
 * List pages live under the organization's current epoch: a page is built whole from one read of
 * Postgres, and a publish moves readers to a new epoch at once, so no reader sees a page that mixes
 * before and after.
 */
export async function readPublishedList({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { organizationId: string; query: ListRequest };
}): Promise<DeliveredList> {
  const { edgeStore } = ctx.services;
  const epochRead = await edgeStore.read(deliveryKeys.epoch(input.organizationId), epochEntrySchema, { memoize: true });
  const epoch = epochRead.status === 'hit' ? epochRead.value.epoch : INITIAL_EPOCH;
  const key = deliveryKeys.listPage(input.organizationId, epoch, listQueryKey(input.query));
  const cached =
    epochRead.status === 'failed' ? epochRead : await edgeStore.read(key, listEntrySchema, { memoize: true });
  if (cached.status === 'hit') return { entry: cached.value, source: 'kv', stale: kvAnswerMayBeStale(ctx) };
  const entry = await fromDatabase(ctx, () => buildListEntry(ctx, input.organizationId, input.query));
  if (cached.status === 'miss') ctx.services.defer(() => edgeStore.fill(key, entry, LIST_TTL_SECONDS));
  return { entry, source: 'database', stale: false };
}
