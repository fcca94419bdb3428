import { and, eq, sql } from 'drizzle-orm';
import type { KvJson } from '../../cache/kv-json.ts';
import { deliveryTokens } from '../../db/schema/index.ts';
import type {
  DeliveryTokenCreated,
  DeliveryTokenRevoked,
  DeliveryTokenUsed,
  OrganizationDeliveryChanged,
} from '../../events/delivery-access.ts';
import { newEvent } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';
import { writeOrganizationEntry } from './access-entries.ts';
import { absentEntrySchema } from './cache-entries.ts';
import { deliveryKeys, fenceKeys } from './delivery-keys.ts';
import { raiseFence } from './fenced-fill.ts';

/**
 * A revocation or a slug or access change is handled once more this long after the first time: later
 * than any fill that read the database before the change may write (fenced-fill.ts, 10 s) plus the
 * time KV takes to carry a write to every location (about 60 s). Whatever such a fill left anywhere is
 * deleted then, and edge copies expire a minute later (docs/decisions/0031).
 */
export const ACCESS_RECHECK_DELAY_SECONDS = 90;

/**
 * Raise the fence first, then delete: a fill that read the database before the change either lands
 * before the delete or sees the raised fence and withdraws. A delete needs no check of its own (deletes
 * commute); the next reader refills from the database.
 */
async function invalidate(kv: KvJson, key: string, fenceKey: string): Promise<void> {
  await raiseFence(kv, fenceKey);
  await kv.delete(key);
}

/**
 * The recheck is the same event again, with a new id (so the effect ledger runs it) and marked so that
 * it does not schedule another. It goes straight to the queue; if the queue gives up on it, it is a dead
 * letter like any other event (docs/decisions/0034).
 */
async function scheduleRecheck(
  event: DeliveryTokenRevoked | OrganizationDeliveryChanged,
  ctx: ServiceContext,
  data: Record<string, unknown>,
) {
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

async function invalidateToken(
  event: DeliveryTokenCreated | DeliveryTokenRevoked,
  ctx: ServiceContext,
  onlyAbsence = false,
): Promise<boolean> {
  const secretHash = await tokenSecretHash(ctx, event.organizationId, event.data.deliveryTokenId);
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
export async function forgetTokenAbsence(event: DeliveryTokenCreated, ctx: ServiceContext): Promise<void> {
  await invalidateToken(event, ctx, true);
}

/** A revoked token leaves KV, so the edge stops accepting it without waiting for the entry's TTL. */
export async function forgetRevokedToken(event: DeliveryTokenRevoked, ctx: ServiceContext): Promise<void> {
  if (!(await invalidateToken(event, ctx)) || event.data.recheck) return;
  await scheduleRecheck(event, ctx, { deliveryTokenId: event.data.deliveryTokenId });
}

/**
 * A new organization, a slug change or a public-access switch rewrites the slugs' entries with what
 * Postgres says now (fenced: access-entries.ts writeOrganizationEntry), and once more 90 s later.
 */
export async function refreshOrganizationAccess(
  event: OrganizationDeliveryChanged,
  ctx: ServiceContext,
): Promise<void> {
  const slugs = [...new Set(event.data.slugs)];
  for (const slug of slugs) await writeOrganizationEntry(ctx, slug);
  if (!event.data.recheck) await scheduleRecheck(event, ctx, { slugs });
}

/** last_used_at moves forward only, whatever order the usage reports arrive in. */
export async function recordDeliveryTokenUse(event: DeliveryTokenUsed, ctx: ServiceContext): Promise<void> {
  const usedAt = sql`${event.data.usedAt}::timestamptz`;
  await ctx.services.db
    .update(deliveryTokens)
    .set({ lastUsedAt: sql`greatest(coalesce(${deliveryTokens.lastUsedAt}, ${usedAt}), ${usedAt})` })
    .where(
      and(eq(deliveryTokens.id, event.data.deliveryTokenId), eq(deliveryTokens.organizationId, event.organizationId)),
    );
}
