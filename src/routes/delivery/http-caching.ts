import { ifNoneMatchIncludes } from '../shared/conditional.ts';
import type { DeliveryAccess } from '../../services/delivery/resolve-delivery-access.ts';
import type { DeliverySource } from '../../services/delivery/read-published-item.ts';

/**
 * Public organizations: browsers revalidate every time (a cheap 304), CDNs keep a copy for a minute,
 * may serve it a minute longer while refetching, and for a day if the origin fails.
 * Token-protected organizations: `private`, because a shared cache that ignores Vary would hand the
 * response to anyone who knows the URL (ADR 0017).
 */
export const CACHE_CONTROL = {
  public: 'public, max-age=0, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400',
  private: 'private, max-age=0, stale-if-error=86400',
} as const;

export interface DeliveryRepresentation {
  etag: string;
  /** Purge handles: the organization, plus the item or the organization's lists. */
  tags: string[];
  source: DeliverySource;
  /** Served from KV while the database seems down (the read services decide). */
  stale: boolean;
  storedAt: string;
}

export const organizationTag = (organizationId: string) => `org-${organizationId}`;
export const itemTag = (contentId: string) => `content-${contentId}`;
export const listTag = (organizationId: string) => `org-${organizationId}-lists`;

export function deliveryHeaders(
  access: DeliveryAccess,
  representation: DeliveryRepresentation,
): Record<string, string> {
  const headers: Record<string, string> = {
    etag: representation.etag,
    'cache-control': access.tokenId ? CACHE_CONTROL.private : CACHE_CONTROL.public,
    vary: 'Authorization',
    'cache-tag': representation.tags.join(','),
    'surrogate-key': representation.tags.join(' '),
    'x-delivery-cache': representation.source === 'kv' ? 'hit' : 'miss',
  };
  if (representation.stale) headers['x-delivery-stale'] = 'database-unreachable';
  return headers;
}

/** Whether the client already holds this representation (answer 304). */
export const clientHolds = (ifNoneMatch: string | undefined, headers: Record<string, string>) =>
  ifNoneMatchIncludes(ifNoneMatch, headers.etag ?? '');
