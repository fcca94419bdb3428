import { and, eq, isNull, sql } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { deliveryTokens } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { DELIVERY_TOKEN_REVOKED_EVENT } from '../delivery/delivery-access-events.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';

/**
 * Idempotent: revoking a revoked token changes nothing and records nothing. Tokens are never deleted,
 * so the audit log's references keep resolving. The outbox event takes the token out of the delivery
 * API's KV entries (src/services/delivery), which otherwise would accept it until their TTL.
 */
export async function revokeDeliveryToken({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string };
}): Promise<{ revoked: boolean }> {
  assertCan(ctx.actor, 'delivery_tokens.manage');
  const outcome = await ctx.services.db.transaction(async (tx) => {
    const ofTenant = and(eq(deliveryTokens.id, input.id), eq(deliveryTokens.organizationId, ctx.organizationId));
    const [revoked] = await tx
      .update(deliveryTokens)
      .set({ revokedAt: sql`now()` })
      .where(and(ofTenant, isNull(deliveryTokens.revokedAt)))
      .returning({ id: deliveryTokens.id, revokedAt: deliveryTokens.revokedAt });
    if (revoked) {
      await recordAudit(tx, ctx, {
        action: 'delivery_token.revoke',
        entityType: 'delivery_token',
        entityId: revoked.id,
        before: { revokedAt: null },
        after: { revokedAt: revoked.revokedAt },
      });
      const eventId = await enqueueEvent(tx, ctx, DELIVERY_TOKEN_REVOKED_EVENT, { deliveryTokenId: revoked.id });
      return { revoked: true, eventId };
    }
    const [existing] = await tx.select({ id: deliveryTokens.id }).from(deliveryTokens).where(ofTenant).limit(1);
    if (!existing) throw notFound('delivery token');
    return { revoked: false, eventId: null };
  });
  if (outcome.eventId) relayAfterCommit(ctx, [outcome.eventId]);
  return { revoked: outcome.revoked };
}
