import { z } from 'zod';
import { DELIVERY_TOKEN_PREFIX, hashApiKeySecret } from '../../auth/api-key-secret.ts';
import { bearerCredential } from '../../auth/bearer.ts';
import { IsolateCache } from '../../cache/isolate-cache.ts';
import { DELIVERY_TOKEN_USED_EVENT } from '../../events/delivery-access.ts';
import { newEvent } from '../../events/envelope.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';
import {
  deliveryOrganizationSchema,
  deliveryTokenEntrySchema,
  loadOrganization,
  loadTokenEntry,
  revalidateOrganizationEntry,
  revalidateTokenEntry,
  tokenEntryTtl,
  type DeliveryOrganization,
  type DeliveryTokenEntry,
} from './access-entries.ts';
import { absentEntry, absentEntrySchema } from './cache-entries.ts';
import { fromDatabase } from './database-breaker.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { completeFill, openFill } from './fenced-fill.ts';
import { revalidateLater } from './revalidation.ts';

/** Who may read: the organization behind the slug, and the delivery token used (null: public access). */
export interface DeliveryAccess {
  organizationId: string;
  slug: string;
  publicAccess: boolean;
  tokenId: string | null;
}

// What KV holds under a slug or token key: the entry, or the remembered absence of one.
const organizationKvSchema = z.union([deliveryOrganizationSchema, absentEntrySchema]);
const tokenKvSchema = z.union([deliveryTokenEntrySchema, absentEntrySchema]);

/**
 * Each isolate also keeps what it read for a few seconds, so a hot token costs no KV read at all. It is
 * the delay a revocation or a public-access switch may take on top of the queue (ADR 0017).
 */
export const ACCESS_MEMO_TTL_MS = 5_000;
const organizationMemo = new IsolateCache<DeliveryOrganization>({ ttlMs: ACCESS_MEMO_TTL_MS, maxEntries: 1_000 });
// Keyed by the secret itself: it never leaves this isolate's memory, and hashing it is the cost saved.
const tokenMemo = new IsolateCache<DeliveryTokenEntry>({ ttlMs: ACCESS_MEMO_TTL_MS, maxEntries: 10_000 });
/** last_used_at is kept to the minute, through the queue: the read path never writes to Postgres. */
const USAGE_REPORT_INTERVAL_MS = 60_000;
const lastUsageReport = new Map<string, number>();

export async function resolveDeliveryAccess({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { slug: string; authorization: string | undefined; requireToken: boolean };
}): Promise<DeliveryAccess> {
  const secret = bearerSecret(input.authorization);
  const [organization, token] = await Promise.all([
    organizationBySlug(ctx, input.slug),
    secret ? tokenBySecret(ctx, secret) : undefined,
  ]);
  if (!organization) throw notFound('organization');
  if (secret) {
    if (!token || (token.expiresAt && Date.parse(token.expiresAt) <= Date.now())) {
      throw new DomainError('unauthenticated', 'The delivery token is unknown, revoked or expired.', {
        code: 'invalid_token',
      });
    }
    // Another organization's token learns nothing, not even that this organization's content exists.
    if (token.organizationId !== organization.id) throw notFound('content');
    reportUsage(ctx, token);
    return {
      organizationId: organization.id,
      slug: organization.slug,
      publicAccess: organization.publicAccess,
      tokenId: token.id,
    };
  }
  if (!organization.publicAccess || input.requireToken) {
    throw new DomainError(
      'unauthenticated',
      'Send `Authorization: Bearer <delivery token>`; this organization does not publish without one.',
      { code: 'missing_credentials' },
    );
  }
  return { organizationId: organization.id, slug: organization.slug, publicAccess: true, tokenId: null };
}

function bearerSecret(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const secret = bearerCredential(header);
  if (!secret)
    throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <delivery token>`.', {
      code: 'invalid_token',
    });
  if (!secret.startsWith(DELIVERY_TOKEN_PREFIX)) {
    // Management credentials are refused here, as delivery tokens are refused on /api/v1.
    throw new DomainError(
      'unauthenticated',
      `The delivery API takes delivery tokens (${DELIVERY_TOKEN_PREFIX}…), not management credentials.`,
      { code: 'invalid_token' },
    );
  }
  return secret;
}

/** What this isolate's memo or KV say of a slug: an organization, a remembered absence (undefined), or nothing. */
type CachedOrganization =
  | { status: 'hit'; organization: DeliveryOrganization | undefined }
  | { status: 'miss' | 'failed' };

/**
 * The slug's entry from this isolate's memo or KV, never Postgres. Every KV hit goes through here, whoever
 * asks first (the rate limits peek before access is resolved), so an old entry is always re-checked.
 */
async function cachedOrganization(ctx: ServiceContext, slug: string): Promise<CachedOrganization> {
  const memo = organizationMemo.get(slug);
  if (memo) return { status: 'hit', organization: memo };
  const key = deliveryKeys.organizationBySlug(slug);
  const cached = await ctx.services.edgeStore.read(key, organizationKvSchema);
  if (cached.status !== 'hit') return cached;
  // An absence is not memoized: a new organization is found as soon as its event has cleared the entry.
  // Nor re-validated: it expires within the negative TTL, sooner than it would be due.
  if ('absent' in cached.value) return { status: 'hit', organization: undefined };
  organizationMemo.set(slug, cached.value);
  // Access events are the fast path; this bounds what a lost one costs (a public→private switch).
  revalidateLater(ctx, key, cached.value.storedAt, () => revalidateOrganizationEntry(ctx, slug));
  return { status: 'hit', organization: cached.value };
}

export async function organizationBySlug(ctx: ServiceContext, slug: string): Promise<DeliveryOrganization | undefined> {
  const cached = await cachedOrganization(ctx, slug);
  if (cached.status === 'hit') return cached.organization;
  const { edgeStore, config } = ctx.services;
  const key = deliveryKeys.organizationBySlug(slug);
  const permit =
    cached.status === 'miss' ? await openFill(edgeStore, key, fenceKeys.organizationBySlug(slug)) : undefined;
  const found = await fromDatabase(ctx, () => loadOrganization(ctx, slug));
  if (permit) {
    const ttl = found ? config.delivery.entryTtlSeconds : config.delivery.negativeTtlSeconds;
    ctx.services.defer(() => completeFill(ctx, permit, found ?? absentEntry(), ttl));
  }
  return found;
}

/**
 * The organization behind a slug as far as this isolate's memo or KV know it, never asking Postgres: what
 * the rate limits may consult before any database access (undefined for unknown and not yet cached slugs).
 */
export async function peekOrganization(ctx: ServiceContext, slug: string): Promise<DeliveryOrganization | undefined> {
  const cached = await cachedOrganization(ctx, slug);
  return cached.status === 'hit' ? cached.organization : undefined;
}

async function tokenBySecret(ctx: ServiceContext, secret: string): Promise<DeliveryTokenEntry | undefined> {
  const memo = tokenMemo.get(secret);
  if (memo) return memo;
  const secretHash = await hashApiKeySecret(secret);
  const { edgeStore } = ctx.services;
  const key = deliveryKeys.tokenByHash(secretHash);
  const cached = await edgeStore.read(key, tokenKvSchema);
  if (cached.status === 'hit') {
    if ('absent' in cached.value) return undefined;
    tokenMemo.set(secret, cached.value);
    // A lost revocation event leaves the entry at most this long (plus the memo), not its whole TTL.
    revalidateLater(ctx, key, cached.value.storedAt, () => revalidateTokenEntry(ctx, secretHash));
    return cached.value;
  }
  const permit =
    cached.status === 'miss' ? await openFill(edgeStore, key, fenceKeys.tokenByHash(secretHash)) : undefined;
  const entry = await fromDatabase(ctx, () => loadTokenEntry(ctx, secretHash));
  if (permit) {
    // Unknown, revoked and expired tokens alike are remembered as absent: none of them may read.
    const ttl = entry ? tokenEntryTtl(ctx, entry) : ctx.services.config.delivery.negativeTtlSeconds;
    ctx.services.defer(() => completeFill(ctx, permit, entry ?? absentEntry(), ttl));
  }
  return entry;
}

function reportUsage(ctx: ServiceContext, token: DeliveryTokenEntry): void {
  const now = Date.now();
  if (now - (lastUsageReport.get(token.id) ?? 0) < USAGE_REPORT_INTERVAL_MS) return;
  lastUsageReport.set(token.id, now);
  const event = newEvent(DELIVERY_TOKEN_USED_EVENT, token.organizationId, {
    deliveryTokenId: token.id,
    usedAt: new Date(now).toISOString(),
  });
  ctx.services.defer(() => ctx.services.queue.send(event));
}
