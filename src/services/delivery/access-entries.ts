import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { deliveryTokens, organizations } from '../../db/schema/index.ts';
import { credentialStatusCondition } from '../credentials/credential-rules.ts';
import type { ServiceContext } from '../container.ts';
import { absentEntry } from './cache-entries.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { completeFill, fenceStillHeld, openFill, raiseFence } from './fenced-fill.ts';

/**
 * The edge's access entries: slug → organization (with its public-access flag) and token hash → token.
 * Each carries when it was read from Postgres, so a reader can tell an old one and have it re-checked
 * (services/delivery/revalidation.ts); entries written before they carried it count as old.
 */
export const deliveryOrganizationSchema = z.object({
  id: z.uuid(),
  slug: z.string(),
  publicAccess: z.boolean(),
  /** The organization's own delivery rate limits (null: the platform's); absent in entries written before them. */
  rateLimits: z
    .object({ perIpPerMinute: z.number().int().nullable(), perTokenPerMinute: z.number().int().nullable() })
    .optional(),
  storedAt: z.string().optional(),
});
export type DeliveryOrganization = z.infer<typeof deliveryOrganizationSchema>;

export const deliveryTokenEntrySchema = z.object({
  id: z.uuid(),
  organizationId: z.uuid(),
  expiresAt: z.string().nullable(),
  storedAt: z.string().optional(),
});
export type DeliveryTokenEntry = z.infer<typeof deliveryTokenEntrySchema>;

type Services = Pick<ServiceContext, 'services'>;

export async function loadOrganization(ctx: Services, slug: string): Promise<DeliveryOrganization | undefined> {
  const [row] = await ctx.services.db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      publicAccess: organizations.deliveryPublic,
      rateLimits: {
        perIpPerMinute: organizations.deliveryRateLimitPerIpPerMinute,
        perTokenPerMinute: organizations.deliveryRateLimitPerTokenPerMinute,
      },
    })
    .from(organizations)
    .where(eq(organizations.slug, slug))
    .limit(1);
  return row ? { ...row, storedAt: new Date().toISOString() } : undefined;
}

/** The token behind a secret's hash while it is active (not revoked, not expired), as the edge keeps it. */
export async function loadTokenEntry(ctx: Services, secretHash: string): Promise<DeliveryTokenEntry | undefined> {
  const [row] = await ctx.services.db
    .select({
      id: deliveryTokens.id,
      organizationId: deliveryTokens.organizationId,
      expiresAt: deliveryTokens.expiresAt,
    })
    .from(deliveryTokens)
    .where(and(eq(deliveryTokens.secretHash, secretHash), credentialStatusCondition(deliveryTokens, 'active')))
    .limit(1);
  if (!row) return undefined;
  return {
    id: row.id,
    organizationId: row.organizationId,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    storedAt: new Date().toISOString(),
  };
}

/** The entry TTL, shortened to the token's own expiry: KV never outlives what it allows. */
export function tokenEntryTtl(ctx: Services, entry: DeliveryTokenEntry): number {
  const ttl = ctx.services.config.delivery.entryTtlSeconds;
  return entry.expiresAt ? Math.min(ttl, Math.ceil((Date.parse(entry.expiresAt) - Date.now()) / 1000)) : ttl;
}

/**
 * What a handler of an access event writes for a slug: the fence goes up first (fenced-fill.ts), then the
 * entry as Postgres has it now, the organization or a remembered absence (an old slug stops resolving at
 * once). When another handler raised the fence since, this write may rest on the older read and is deleted
 * instead (the next reader refills). KV failures throw, so the event is retried.
 */
export async function writeOrganizationEntry(ctx: Services, slug: string): Promise<DeliveryOrganization | undefined> {
  const { kv, config } = ctx.services;
  const key = deliveryKeys.organizationBySlug(slug);
  const fenceKey = fenceKeys.organizationBySlug(slug);
  const nonce = await raiseFence(kv, fenceKey);
  const current = await loadOrganization(ctx, slug);
  if (current) await kv.put(key, current, { ttlSeconds: config.delivery.entryTtlSeconds });
  else await kv.put(key, absentEntry(), { ttlSeconds: config.delivery.negativeTtlSeconds });
  if (!(await fenceStillHeld(kv, fenceKey, nonce))) await kv.delete(key);
  return current;
}

/**
 * Re-validation of an old access entry (revalidation.ts), after the response that read it. It is a fill
 * like a reader's on a miss: the fence is read before Postgres and again after the write, so an access
 * change or revocation handled meanwhile wins and the re-validation never outlives it; in other KV
 * locations the change's 90 s recheck replaces what it left (ADR 0031). What Postgres no longer has is
 * deleted: deletes are the safe direction in any order, and the next reader's fill remembers the absence.
 */
async function refillEntry<T>(
  ctx: Services,
  key: string,
  fenceKey: string,
  load: () => Promise<T | undefined>,
  ttlSeconds: (entry: T) => number,
): Promise<void> {
  const permit = await openFill(ctx.services.edgeStore, key, fenceKey);
  const current = await load();
  if (current === undefined) await ctx.services.kv.delete(key);
  else if (permit) await completeFill(ctx, permit, current, ttlSeconds(current));
}

export function revalidateOrganizationEntry(ctx: Services, slug: string): Promise<void> {
  return refillEntry(
    ctx,
    deliveryKeys.organizationBySlug(slug),
    fenceKeys.organizationBySlug(slug),
    () => loadOrganization(ctx, slug),
    () => ctx.services.config.delivery.entryTtlSeconds,
  );
}

export function revalidateTokenEntry(ctx: Services, secretHash: string): Promise<void> {
  return refillEntry(
    ctx,
    deliveryKeys.tokenByHash(secretHash),
    fenceKeys.tokenByHash(secretHash),
    () => loadTokenEntry(ctx, secretHash),
    (entry) => tokenEntryTtl(ctx, entry),
  );
}
