import { and, eq } from 'drizzle-orm';
import { content } from '../../db/schema/index.ts';
import type { ContentEvent } from '../../events/content.ts';
import type { ServiceContext } from '../container.ts';
import { LIST_TTL_SECONDS, TOMBSTONE_TTL_SECONDS, type ItemEntry } from './cache-entries.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { fenceStillHeld, raiseFence } from './fenced-fill.ts';
import { findPublishedItem } from './published-content.ts';
import { buildListEntry, listPageKey, type ListRequest } from './list-pages.ts';

/** The events that change what is live (scheduled publishing emits content.published too). */
const LIVE_STATE_EVENTS = new Set(['content.published', 'content.unpublished', 'content.archived', 'content.restored']);

/** The page most readers ask for first; built before the epoch moves so the new epoch starts warm. */
export const DEFAULT_LIST_QUERY: ListRequest = { limit: 20 };

export interface DeliveryRefresh {
  /** Whether the item's entry was written (always, for an id the organization has). */
  written: boolean;
  /** The live version written; null for a tombstone. */
  version: number | null;
  epoch: string | null;
}

const NOTHING: DeliveryRefresh = { written: false, version: null, epoch: null };

/**
 * Queue effect of every content event that changes what is live: KV gets what Postgres says is live now
 * (not what the event said, so late or reordered events cannot roll it back). It never compares with
 * what KV holds: a KV read may be a location's cached copy that looks current while the stored value is
 * not, and skipping on it could leave retracted content served. KV failures throw, so the effect retries.
 */
export async function refreshDeliveryCache(event: ContentEvent, ctx: ServiceContext): Promise<DeliveryRefresh> {
  // Edits, reviews and schedules leave published_version alone: they cost nothing here (a burst of edits
  // must not queue up behind cache work).
  if (!LIVE_STATE_EVENTS.has(event.type)) return NOTHING;
  const refresh = await writeLiveItem(ctx, event.organizationId, event.data.contentId);
  if (refresh.written) {
    ctx.logger.log('info', 'delivery cache refreshed', {
      eventId: event.id,
      eventType: event.type,
      contentId: event.data.contentId,
      version: refresh.version,
      epoch: refresh.epoch,
    });
  }
  return refresh;
}

/**
 * Writes the item as Postgres has it (a tombstone when nothing is live) and moves the organization's lists
 * to a new epoch, whatever KV seems to hold. Consumer-written entries expire too (DELIVERY_ENTRY_TTL_SECONDS):
 * if every event about an item were lost, the entry would still not outlive the TTL. An id this organization
 * does not have (another tenant's, or none) writes nothing under either organization.
 *
 * The item's fence is raised before Postgres is read, so a reader's fill (or re-validation) that read it
 * earlier withdraws (fenced-fill.ts), and this write is taken back when another writer raised the fence
 * since: a slower consumer must not leave an older version behind a newer one. Readers then miss and fill
 * from Postgres; the epoch still moves, whichever writer read last.
 */
export async function writeLiveItem(
  ctx: ServiceContext,
  organizationId: string,
  contentId: string,
): Promise<DeliveryRefresh> {
  const { kv, db, config } = ctx.services;
  const key = deliveryKeys.item(organizationId, contentId);
  const fenceKey = fenceKeys.item(organizationId, contentId);
  const nonce = await raiseFence(kv, fenceKey);
  const live = await findPublishedItem(db, organizationId, contentId);
  if (!live && !(await contentExists(ctx, organizationId, contentId))) return NOTHING;
  const entry: ItemEntry = { item: live ?? null, storedAt: new Date().toISOString() };
  await kv.put(key, entry, { ttlSeconds: live ? config.delivery.entryTtlSeconds : TOMBSTONE_TTL_SECONDS });
  if (!(await fenceStillHeld(kv, fenceKey, nonce))) await kv.delete(key);
  return { written: true, version: live?.version ?? null, epoch: await startNewEpoch(ctx, organizationId) };
}

async function contentExists(ctx: ServiceContext, organizationId: string, contentId: string): Promise<boolean> {
  const [row] = await ctx.services.db
    .select({ id: content.id })
    .from(content)
    .where(and(eq(content.id, contentId), eq(content.organizationId, organizationId)))
    .limit(1);
  return row !== undefined;
}

/**
 * Writes the default first page under a fresh epoch, then points readers at it. The epoch key itself has
 * no TTL: were it to expire, readers would fall back to the initial epoch, whose pages may be a day old;
 * list re-validation repairs a pointer left behind instead (services/delivery/revalidate-entries.ts).
 */
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
