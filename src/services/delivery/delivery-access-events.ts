import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { deliveryTokens } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';
import { deliveryKeys } from './delivery-keys.ts';
import { loadOrganization } from './resolve-delivery-access.ts';

export const DELIVERY_TOKEN_REVOKED_EVENT = 'delivery_token.revoked';
export const ORGANIZATION_DELIVERY_CHANGED_EVENT = 'organization.delivery_changed';

const tokenEventData = z.object({ deliveryTokenId: z.uuid() });
const usedEventData = tokenEventData.extend({ usedAt: z.iso.datetime({ offset: true }) });
const organizationEventData = z.object({ slugs: z.array(z.string()).min(1) });

/** A revoked token leaves KV, so the edge stops accepting it without waiting for the entry's TTL. */
export async function forgetRevokedToken(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  const data = tokenEventData.safeParse(event.data);
  if (!data.success || !event.organizationId) return;
  const [token] = await ctx.services.db
    .select({ secretHash: deliveryTokens.secretHash })
    .from(deliveryTokens)
    .where(
      and(eq(deliveryTokens.id, data.data.deliveryTokenId), eq(deliveryTokens.organizationId, event.organizationId)),
    )
    .limit(1);
  if (token) await ctx.services.kv.delete(deliveryKeys.tokenByHash(token.secretHash));
}

/** A slug change or a public-access switch rewrites the slug entries (the old slug stops resolving). */
export async function refreshOrganizationAccess(event: EventEnvelope, ctx: ServiceContext): Promise<void> {
  const data = organizationEventData.safeParse(event.data);
  if (!data.success) return;
  for (const slug of new Set(data.data.slugs)) {
    const current = await loadOrganization(ctx, slug);
    const key = deliveryKeys.organizationBySlug(slug);
    if (current) await ctx.services.kv.put(key, current, { ttlSeconds: 24 * 60 * 60 });
    else await ctx.services.kv.delete(key);
  }
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
