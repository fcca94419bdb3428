import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { content } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';
import { itemEntrySchema, LIST_TTL_SECONDS, TOMBSTONE_TTL_SECONDS, type ItemEntry } from './cache-entries.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { fenceStillHeld, raiseFence } from './fenced-fill.ts';
import { findPublishedItem } from './published-content.ts';
import { buildListEntry, listPageKey, type ListRequest } from './read-published-list.ts';

/** The events that change what is live (scheduled publishing emits content.published too). */
const LIVE_STATE_EVENTS = new Set(['content.published', 'content.unpublished', 'content.archived', 'content.restored']);

/** The page most readers ask for first; built before the epoch moves so the new epoch starts warm. */
export const DEFAULT_LIST_QUERY: ListRequest = { limit: 20 };

const contentEventData = z.object({ contentId: z.uuid() });

export interface DeliveryRefresh {
  itemChanged: boolean;
  epoch: string | null;
}

/**
 * Queue effect of every content event: KV gets what Postgres says is live now (not what the event
 * said, so late or reordered events cannot roll it back). When the live version changed, the item key
 * is rewritten (a tombstone when nothing is live) and the organization moves to a new list epoch.
 * The item's fence is raised before Postgres is read, so a reader's fill that read it earlier withdraws
 * (fenced-fill.ts), and so does this write when another consumer raised it since: a slower consumer must
 * not leave an older version behind a newer one. KV failures throw, so the queue retries the event.
 */
export async function refreshDeliveryCache(event: EventEnvelope, ctx: ServiceContext): Promise<DeliveryRefresh> {
  const organizationId = event.organizationId;
  const data = contentEventData.safeParse(event.data);
  if (!organizationId || !data.success) return { itemChanged: false, epoch: null };
  const { contentId } = data.data;
  const { kv, db } = ctx.services;
  // Only these events move content.published_version; edits, reviews and schedules leave what readers
  // see alone, so they cost nothing here (a burst of edits must not queue up behind cache work).
  if (!LIVE_STATE_EVENTS.has(event.type)) return { itemChanged: false, epoch: null };

  const key = deliveryKeys.item(organizationId, contentId);
  const fenceKey = fenceKeys.item(organizationId, contentId);
  const nonce = await raiseFence(kv, fenceKey);
  const [live, held] = await Promise.all([
    findPublishedItem(db, organizationId, contentId),
    kv.get(key, itemEntrySchema),
  ]);
  const heldVersion = held ? (held.item?.version ?? null) : undefined;
  const liveVersion = live?.version ?? null;
  const changed =
    heldVersion === undefined
      ? live !== undefined || (await contentExists(ctx, organizationId, contentId))
      : heldVersion !== liveVersion;
  if (!changed) return { itemChanged: false, epoch: null };

  const entry: ItemEntry = { item: live ?? null, storedAt: new Date().toISOString() };
  await kv.put(key, entry, live ? {} : { ttlSeconds: TOMBSTONE_TTL_SECONDS });
  // Readers then miss and fill from Postgres; the epoch still moves, whichever consumer read last.
  if (!(await fenceStillHeld(kv, fenceKey, nonce))) await kv.delete(key);
  const epoch = await startNewEpoch(ctx, organizationId);
  ctx.logger.log('info', 'delivery cache refreshed', {
    eventId: event.id,
    eventType: event.type,
    contentId,
    version: liveVersion,
    epoch,
  });
  return { itemChanged: true, epoch };
}

/** An event naming an id this organization does not have leaves its keys alone. */
async function contentExists(ctx: ServiceContext, organizationId: string, contentId: string): Promise<boolean> {
  const [row] = await ctx.services.db
    .select({ id: content.id })
    .from(content)
    .where(and(eq(content.id, contentId), eq(content.organizationId, organizationId)))
    .limit(1);
  return row !== undefined;
}

/** Writes the default first page under a fresh epoch, then points readers at it. */
export async function startNewEpoch(ctx: ServiceContext, organizationId: string): Promise<string> {
  const { kv } = ctx.services;
  // Unique, so two consumers moving the same organization at once never share an epoch.
  const epoch = `${Date.now().toString(36)}-${crypto.randomUUID().slice(0, 8)}`;
  const firstPage = await buildListEntry(ctx, organizationId, DEFAULT_LIST_QUERY);
  await kv.put(await listPageKey(ctx, organizationId, epoch, DEFAULT_LIST_QUERY), firstPage, {
    ttlSeconds: LIST_TTL_SECONDS,
  });
  await kv.put(deliveryKeys.epoch(organizationId), { epoch, changedAt: new Date().toISOString() });
  return epoch;
}
