import { notFound } from '../../lib/errors.ts';
import { FILL_TTL_SECONDS, itemEntrySchema, type DeliverySource, type ItemEntry } from './cache-entries.ts';
import type { ServiceContext } from '../container.ts';
import { fromDatabase, kvAnswerMayBeStale } from './database-breaker.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { completeFill, openFill } from './fenced-fill.ts';
import { findPublishedItem, type PublishedItem } from './published-content.ts';
import { revalidateItem } from './revalidate-entries.ts';
import { revalidateLater } from './revalidation.ts';

export type { DeliverySource } from './cache-entries.ts';

export interface DeliveredItem {
  item: PublishedItem;
  source: DeliverySource;
  /** Served from KV while the database seems down: it may lag behind what Postgres holds. */
  stale: boolean;
  /** When the answer was read from Postgres (now, for a database read). */
  storedAt: string;
}

/**
 * KV first; a miss (or a failing KV) reads Postgres. A miss fills KV after the response, fenced so that a
 * publish or unpublish handled meanwhile wins (fenced-fill.ts). What is not live is filled too, as an
 * empty entry for the negative TTL: asking again for an unknown id is a KV hit (404) until then, or until
 * a publish of that id rewrites the entry. An empty entry, like a tombstone, answers 404 without Postgres.
 * An entry read old is re-checked against Postgres after the response (revalidate-entries.ts, ADR 0034).
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
    const held = cached.value;
    revalidateLater(ctx, key, held.storedAt, () => revalidateItem(ctx, input.organizationId, input.id, held));
    if (!cached.value.item || cached.value.item.id !== input.id) throw notFound('content');
    return { item: cached.value.item, source: 'kv', stale: kvAnswerMayBeStale(ctx), storedAt: cached.value.storedAt };
  }
  const permit =
    cached.status === 'miss'
      ? await openFill(edgeStore, key, fenceKeys.item(input.organizationId, input.id))
      : undefined;
  const item = await fromDatabase(ctx, () => findPublishedItem(ctx.services.db, input.organizationId, input.id));
  const entry: ItemEntry = { item: item ?? null, storedAt: new Date().toISOString() };
  if (permit) {
    const ttl = item ? FILL_TTL_SECONDS : ctx.services.config.delivery.negativeTtlSeconds;
    ctx.services.defer(() => completeFill(ctx, permit, entry, ttl));
  }
  if (!item) throw notFound('content');
  return { item, source: 'database', stale: false, storedAt: entry.storedAt };
}
