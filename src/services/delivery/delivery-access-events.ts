import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { KvJson } from '../../cache/kv-json.ts';
import { deliveryTokens } from '../../db/schema/index.ts';
import { newEvent, type EventEnvelope } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';
import { absentEntry, absentEntrySchema } from './cache-entries.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { fenceStillHeld, raiseFence } from './fenced-fill.ts';
import { ACCESS_TTL_SECONDS, loadOrganization } from './resolve-delivery-access.ts';

export const DELIVERY_TOKEN_CREATED_EVENT = 'delivery_token.created';
export const DELIVERY_TOKEN_REVOKED_EVENT = 'delivery_token.revoked';
export const ORGANIZATION_DELIVERY_CHANGED_EVENT = 'organization.delivery_changed';

/**
 * A revocation or a slug or access change is handled once more this long after the first time: later
 * than any fill that read the database before the change may write (fenced-fill.ts, 10 s) plus the
 * time KV takes to carry a write to every location (about 60 s). Whatever such a fill left anywhere is
 * deleted then, and edge copies expire a minute later (docs/decisions/0031).
 */
export const ACCESS_RECHECK_DELAY_SECONDS = 90;

const recheck = z.boolean().optional();
const tokenEventData = z.object({ deliveryTokenId: z.uuid(), recheck });
const usedEventData = z.object({ deliveryTokenId: z.uuid(), usedAt: z.iso.datetime({ offset: true }) });
const organizationEventData = z.object({ slugs: z.array(z.string()).min(1), recheck });

/**
 * Raise the fence first, then delete: a fill that read the database before the change either lands
 * before the delete or sees the raised fence and withdraws. A delete needs no check of its own (deletes
 * commute); the next reader refills from the database.
 */
async function invalidate(kv: KvJson, key: string, fenceKey: string): Promise<void> {
  await raiseFence(kv, fenceKey);
  await kv.delete(key);
}

/** The recheck is the same event again, marked so that it does not schedule another. */
async function scheduleRecheck(event: EventEnvelope, ctx: ServiceContext, data: Record<string, unknown>) {
  const again = newEvent(event.type, event.organizationId, { ...data, recheck: true });
  await ctx.services.queue.send(again, { delaySeconds: ACCESS_RECHECK_DELAY_SECONDS });
}

async function tokenSecretHash(
  ctx: ServiceContext,
  organizationId: string,
  deliveryTokenId: string,
): Promise<string | undefined> {
  const [token] = await ctx.services.db
    .select({ secretHash: deliveryTokens.secretHash })
    .from(deliveryTokens)
    .where(and(eq(deliveryTokens.id, deliveryTokenId), eq(deliveryTokens.organizationId, organizationId)))
    .limit(1);
  return token?.secretHash;
}

async function invalidateToken(event: EventEnvelope, ctx: ServiceContext, onlyAbsence = false): Promise<boolean> {
  const data = tokenEventData.safeParse(event.data);
  if (!data.success || !event.organizationId) return false;
  const secretHash = await tokenSecretHash(ctx, event.organizationId, data.data.deliveryTokenId);
  if (!secretHash) return false;
  const key = deliveryKeys.tokenByHash(secretHash);
  if (onlyAbsence) await forgetAbsence(ctx.services.kv, key, fenceKeys.tokenByHash(secretHash));
  else await invalidate(ctx.services.kv, key, fenceKeys.tokenByHash(secretHash));
  return true;
}

/**
 * Like invalidate, but an entry that already says the thing exists stays: it was filled after the
 * creation (a fill from before it saw the raised fence and withdrew), so deleting it would only cost the
 * next reader a database lookup. A read-then-delete race deletes at worst a good entry, never keeps a bad one.
 */
async function forgetAbsence(kv: KvJson, key: string, fenceKey: string): Promise<void> {
  await raiseFence(kv, fenceKey);
  if (await kv.get(key, absentEntrySchema)) await kv.delete(key);
}

/**
 * A new token clears a remembered absence of its hash. Its secret is random and shown only now, so a
 * cached absence is unlikely; the event exists so that correctness does not rest on that. A token
 * already used (and filled) before the event arrives keeps its entry.
 */
export async function forgetTokenAbsence(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  await invalidateToken(event, ctx, true);
}

/** A revoked token leaves KV, so the edge stops accepting it without waiting for the entry's TTL. */
export async function forgetRevokedToken(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  const data = tokenEventData.safeParse(event.data);
  if (!(await invalidateToken(event, ctx)) || !data.success || data.data.recheck) return;
  await scheduleRecheck(event, ctx, { deliveryTokenId: data.data.deliveryTokenId });
}

/**
 * A new organization, a slug change or a public-access switch rewrites the slugs' entries with what
 * Postgres says now: the organization, or a remembered absence (the old slug stops resolving at once).
 * The fence goes up before the read; when another handler raised it since, this write may rest on the
 * older read and is deleted instead (the next reader refills).
 */
export async function refreshOrganizationAccess(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  const data = organizationEventData.safeParse(event.data);
  if (!data.success) return;
  const { kv, config } = ctx.services;
  const slugs = [...new Set(data.data.slugs)];
  for (const slug of slugs) {
    const key = deliveryKeys.organizationBySlug(slug);
    const fenceKey = fenceKeys.organizationBySlug(slug);
    const nonce = await raiseFence(kv, fenceKey);
    const current = await loadOrganization(ctx, slug);
    if (current) await kv.put(key, current, { ttlSeconds: ACCESS_TTL_SECONDS });
    else await kv.put(key, absentEntry(), { ttlSeconds: config.delivery.negativeTtlSeconds });
    if (!(await fenceStillHeld(kv, fenceKey, nonce))) await kv.delete(key);
  }
  if (!data.data.recheck) await scheduleRecheck(event, ctx, { slugs });
}

/** last_used_at moves forward only, whatever order the usage reports arrive in. */
export async function recordDeliveryTokenUse(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  const data = usedEventData.safeParse(event.data);
  if (!data.success || !event.organizationId) return;
  const usedAt = sql`${data.data.usedAt}::timestamptz`;
  await ctx.services.db
    .update(deliveryTokens)
    .set({ lastUsedAt: sql`greatest(coalesce(${deliveryTokens.lastUsedAt}, ${usedAt}), ${usedAt})` })
    .where(
      and(eq(deliveryTokens.id, data.data.deliveryTokenId), eq(deliveryTokens.organizationId, event.organizationId)),
    );
}
