import { systemKey, tenantKey } from '../../cache/kv-keys.ts';

/**
 * Every KV key of the delivery read store. Content keys start with the organization's id; the two
 * lookups that find the organization in the first place (slug, token hash) are platform keys. Every key
 * part is bounded (a slug of at most 63 characters, a UUID, a SHA-256 digest), including the keys of
 * remembered absences, which are the same keys (docs/decisions/0031).
 */
export const deliveryKeys = {
  organizationBySlug: (slug: string) => systemKey('delivery', 'org', slug),
  tokenByHash: (secretHash: string) => systemKey('delivery', 'token', secretHash),
  item: (organizationId: string, contentId: string) => tenantKey(organizationId, 'delivery', 'item', contentId),
  /** Bumped on every change to what is published; list pages live under the epoch they were built in. */
  epoch: (organizationId: string) => tenantKey(organizationId, 'delivery', 'epoch'),
  listPage: (organizationId: string, epoch: string, queryKey: string) =>
    tenantKey(organizationId, 'delivery', 'list', epoch, queryKey),
};

/**
 * The fence of each entry key above that fills write (fenced-fill.ts): raised by every event that changes
 * what the entry should say, so a fill that read the database before the change undoes itself.
 */
export const fenceKeys = {
  organizationBySlug: (slug: string) => systemKey('delivery', 'fence', 'org', slug),
  tokenByHash: (secretHash: string) => systemKey('delivery', 'fence', 'token', secretHash),
  item: (organizationId: string, contentId: string) => tenantKey(organizationId, 'delivery', 'fence', contentId),
};

/** The epoch of an organization whose lists were never invalidated. */
export const INITIAL_EPOCH = '0';
