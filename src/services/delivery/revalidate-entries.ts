import type { ServiceContext } from '../container.ts';
import type { ItemEntry, ListEntry } from './cache-entries.ts';
import { fromDatabase } from './database-breaker.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { completeFill, openFill } from './fenced-fill.ts';
import { findPublishedItem } from './published-content.ts';
import { buildListEntry, listPageTtl, type ListRequest } from './list-pages.ts';
import { startNewEpoch, writeLiveItem } from './refresh-delivery-cache.ts';

/**
 * An old item entry checked against Postgres (services/delivery/revalidation.ts): when the live version
 * differs (an event was lost), the item is rewritten and the lists move to a new epoch, exactly as the
 * consumer would have done (and with its fence protocol); when it agrees, the entry is written again with
 * a fresh storedAt and TTL, so other isolates do not check it again for a while. That rewrite is a fill
 * (fenced-fill.ts): the fence is read before Postgres, so a publish or unpublish handled meanwhile makes
 * it withdraw rather than put back what it read. A tombstone or absence that still agrees is left to expire.
 */
export async function revalidateItem(
  ctx: ServiceContext,
  organizationId: string,
  contentId: string,
  held: ItemEntry,
): Promise<void> {
  const key = deliveryKeys.item(organizationId, contentId);
  const permit = await openFill(ctx.services.edgeStore, key, fenceKeys.item(organizationId, contentId));
  const live = await fromDatabase(ctx, () => findPublishedItem(ctx.services.db, organizationId, contentId));
  const heldVersion = held.item?.version ?? null;
  if ((live?.version ?? null) !== heldVersion) {
    const refresh = await writeLiveItem(ctx, organizationId, contentId);
    ctx.logger.log('warn', 'delivery entry was behind Postgres; rewritten', {
      organizationId,
      contentId,
      held: heldVersion,
      live: refresh.version,
      epoch: refresh.epoch,
    });
    return;
  }
  if (!live || !permit) return;
  const entry: ItemEntry = { item: live, storedAt: new Date().toISOString() };
  await completeFill(ctx, permit, entry, ctx.services.config.delivery.entryTtlSeconds);
}

/**
 * An old list page checked against Postgres: a page that no longer matches means the epoch move of some
 * change was lost, so the organization moves to a new epoch (pages are replaced whole, never patched); a
 * page that matches is written again with a fresh storedAt. Pages need no fence: a change moves readers to
 * a new epoch, and a page written late lands under the old one, which nobody reads any more.
 */
export async function revalidateListPage(
  ctx: ServiceContext,
  organizationId: string,
  key: string,
  query: ListRequest,
  held: ListEntry,
): Promise<void> {
  const fresh = await fromDatabase(ctx, () => buildListEntry(ctx, organizationId, query));
  if (fresh.etag === held.etag) {
    await ctx.services.edgeStore.fill(key, fresh, listPageTtl(ctx, fresh));
    return;
  }
  const epoch = await startNewEpoch(ctx, organizationId);
  ctx.logger.log('warn', 'delivery list page was behind Postgres; lists moved to a new epoch', {
    organizationId,
    key,
    epoch,
  });
}
