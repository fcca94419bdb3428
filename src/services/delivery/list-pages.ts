import { sha256Base64Url } from '../../lib/sha256.ts';
import type { ServiceContext } from '../container.ts';
import { LIST_TTL_SECONDS, type ListEntry } from './cache-entries.ts';
import { deliveryKeys } from './delivery-keys.ts';
import { cursorKey, cursorPosition, encodeCursor, type CursorBinding, type ListCursor } from './list-cursor.ts';
import { listPublishedItems, type PublishedListQuery } from './published-content.ts';

/** A page to build: the query and, past the first page, the verified position it starts after. */
export interface ListRequest extends Omit<PublishedListQuery, 'after'> {
  cursor?: ListCursor | undefined;
}

/** A page as a client asks for it: the cursor as sent, not yet verified. */
export interface ListQuery extends Omit<ListRequest, 'cursor'> {
  cursor?: string | undefined;
}

type Services = Pick<ServiceContext, 'services'>;

/** What a page's cursors are signed for (docs/decisions/0031). */
export const bindingOf = (organizationId: string, query: Omit<ListRequest, 'cursor'>): CursorBinding => ({
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

/** How long a page stays in KV: an empty one (a platform nobody publishes to) only for the negative TTL. */
export const listPageTtl = (ctx: Services, entry: ListEntry): number =>
  entry.body.data.length > 0 ? LIST_TTL_SECONDS : ctx.services.config.delivery.negativeTtlSeconds;
