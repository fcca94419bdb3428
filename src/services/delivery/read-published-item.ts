import { notFound } from '../../lib/errors.ts';
import { FILL_TTL_SECONDS, itemEntrySchema, type ItemEntry } from './cache-entries.ts';
import type { ServiceContext } from '../container.ts';
import { fromDatabase, kvAnswerMayBeStale } from './database-breaker.ts';
import { deliveryKeys } from './delivery-keys.ts';
import { findPublishedItem, type PublishedItem } from './published-content.ts';

export type DeliverySource = 'kv' | 'database';

export interface DeliveredItem {
  item: PublishedItem;
  source: DeliverySource;
  /** Served from KV while the database seems down: it may lag behind what Postgres holds. */
  stale: boolean;
  /** When the answer was read from Postgres (now, for a database read). */
  storedAt: string;
}

/**
 * KV first; a miss (or a failing KV) reads Postgres. A miss fills KV after the response, unless an event
 * consumer wrote the key in the meantime; a tombstone answers 404 without touching Postgres.
 */
export async function readPublishedItem({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { organizationId: string; id: string };
}): Promise<DeliveredItem> {
  const { edgeStore } = ctx.services;
  const key = deliveryKeys.item(input.organizationId, input.id);
  const cached = await edgeStore.read(key, itemEntrySchema, { memoize: true });
  if (cached.status === 'hit') {
    if (!cached.value.item || cached.value.item.id !== input.id) throw notFound('content');
    return { item: cached.value.item, source: 'kv', stale: kvAnswerMayBeStale(ctx), storedAt: cached.value.storedAt };
  }
  const item = await fromDatabase(ctx, () => findPublishedItem(ctx.services.db, input.organizationId, input.id));
  if (!item) throw notFound('content');
  const entry: ItemEntry = { item, storedAt: new Date().toISOString() };
  if (cached.status === 'miss') ctx.services.defer(() => edgeStore.fillIfAbsent(key, entry, FILL_TTL_SECONDS));
  return { item, source: 'database', stale: false, storedAt: entry.storedAt };
}
