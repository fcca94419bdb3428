import { sha256Base64Url } from '../../lib/sha256.ts';
import { cursorKey, cursorPosition, decodeCursor, encodeCursor, type ListCursor } from './list-cursor.ts';
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

/** A page to build: the query and, past the first page, the verified position it starts after. */
export interface ListRequest extends Omit<PublishedListQuery, 'after'> {
  cursor?: ListCursor | undefined;
}

/** A page as a client asks for it: the cursor as sent, not yet verified. */
export interface ListQuery extends Omit<ListRequest, 'cursor'> {
  cursor?: string | undefined;
}

type Services = Pick<ServiceContext, 'services'>;

const bindingOf = (organizationId: string, query: Omit<ListRequest, 'cursor'>) => ({
  organizationId,
  limit: query.limit,
  type: query.type,
  platform: query.platform,
});

/**
 * The KV key of the page a list request names, keyed by everything that shapes it, including the cursor
 * key's fingerprint (pages hold signed cursors). Every part is already key-safe (an enum, a platform
 * slug, a number, base64url), so the key is the query itself: no digest to compute on every request.
 */
export async function listPageKey(
  ctx: Services,
  organizationId: string,
  epoch: string,
  query: ListRequest,
): Promise<string> {
  const { id } = await cursorKey(ctx.services.config.delivery.cursorSecret);
  const part = [
    id,
    query.type ?? '-',
    query.platform ?? '-',
    String(query.limit),
    query.cursor ? cursorPosition(query.cursor) : '-',
  ].join('.');
  return deliveryKeys.listPage(organizationId, epoch, part);
}

/** Builds a page from Postgres, with a signed next cursor and the strong ETag of its exact bytes. */
export async function buildListEntry(ctx: Services, organizationId: string, query: ListRequest): Promise<ListEntry> {
  const page = await listPublishedItems(ctx.services.db, organizationId, { ...query, after: query.cursor });
  const secret = ctx.services.config.delivery.cursorSecret;
  const nextCursor = page.next ? await encodeCursor(secret, bindingOf(organizationId, query), page.next) : null;
  const body = { data: page.data, nextCursor };
  return {
    body,
    etag: `"l.${(await sha256Base64Url(JSON.stringify(body))).slice(0, 32)}"`,
    storedAt: new Date().toISOString(),
  };
}

/**
 * List pages live under the organization's current epoch: a page is built whole from one read of
 * Postgres, and a publish moves readers to a new epoch at once, so no reader sees a page that mixes
 * before and after. A cursor is verified before anything is read (400 unless this API issued it for
 * this query), so KV only ever holds first pages and pages a client reached by following cursors; an
 * empty page (a platform nobody publishes to) is kept only for the negative TTL.
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
  if (cached.status === 'hit') return { entry: cached.value, source: 'kv', stale: kvAnswerMayBeStale(ctx) };
  const entry = await fromDatabase(ctx, () => buildListEntry(ctx, input.organizationId, query));
  if (cached.status === 'miss') {
    const ttl = entry.body.data.length > 0 ? LIST_TTL_SECONDS : ctx.services.config.delivery.negativeTtlSeconds;
    ctx.services.defer(() => edgeStore.fill(key, entry, ttl));
  }
  return { entry, source: 'database', stale: false };
}
