import { epochEntrySchema, listEntrySchema, type DeliverySource, type ListEntry } from './cache-entries.ts';
import type { ServiceContext } from '../container.ts';
import { fromDatabase, kvAnswerMayBeStale } from './database-breaker.ts';
import { deliveryKeys, INITIAL_EPOCH } from './delivery-keys.ts';
import { decodeCursor } from './list-cursor.ts';
import { bindingOf, buildListEntry, listPageKey, listPageTtl, type ListQuery, type ListRequest } from './list-pages.ts';
import { revalidateListPage } from './revalidate-entries.ts';
import { revalidateLater } from './revalidation.ts';

export interface DeliveredList {
  entry: ListEntry;
  source: DeliverySource;
  /** Served from KV while the database seems down: it may lag behind what Postgres holds. */
  stale: boolean;
}

/**
 * List pages live under the organization's current epoch: a page is built whole from one read of
 * Postgres, and a publish moves readers to a new epoch at once, so no reader sees a page that mixes
 * before and after. A cursor is verified before anything is read (400 unless this API issued it for
 * this query), so KV only ever holds first pages and pages a client reached by following cursors; an
 * empty page (a platform nobody publishes to) is kept only for the negative TTL. A page read old is
 * re-checked after the response (ADR 0034).
 */
export async function readPublishedList({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { organizationId: string; query: ListQuery };
}): Promise<DeliveredList> {
  const { cursor: raw, ...params } = input.query;
  const secret = ctx.services.config.delivery.cursorSecret;
  const cursor =
    raw === undefined ? undefined : await decodeCursor(secret, bindingOf(input.organizationId, params), raw);
  const query: ListRequest = { ...params, cursor };
  const { edgeStore } = ctx.services;
  const epochRead = await edgeStore.read(deliveryKeys.epoch(input.organizationId), epochEntrySchema, { memoize: true });
  const epoch = epochRead.status === 'hit' ? epochRead.value.epoch : INITIAL_EPOCH;
  const key = await listPageKey(ctx, input.organizationId, epoch, query);
  const cached =
    epochRead.status === 'failed' ? epochRead : await edgeStore.read(key, listEntrySchema, { memoize: true });
  if (cached.status === 'hit') {
    const held = cached.value;
    revalidateLater(ctx, key, held.storedAt, () => revalidateListPage(ctx, input.organizationId, key, query, held));
    return { entry: held, source: 'kv', stale: kvAnswerMayBeStale(ctx) };
  }
  const entry = await fromDatabase(ctx, () => buildListEntry(ctx, input.organizationId, query));
  if (cached.status === 'miss') ctx.services.defer(() => edgeStore.fill(key, entry, listPageTtl(ctx, entry)));
  return { entry, source: 'database', stale: false };
}
