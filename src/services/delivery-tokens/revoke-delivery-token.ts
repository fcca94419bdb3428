import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { revokeCredential } from '../credentials/revoke-credential.ts';
import { DELIVERY_TOKEN_REVOKED_EVENT } from '../../events/delivery-access.ts';
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
    const revokedId = await revokeCredential(tx, ctx, { kind: 'delivery_token', id: input.id });
    if (revokedId === null) return { revoked: false, eventId: null };
    const eventId = await enqueueEvent(tx, ctx, DELIVERY_TOKEN_REVOKED_EVENT, { deliveryTokenId: revokedId });
    return { revoked: true, eventId };
  });
  if (outcome.eventId) relayAfterCommit(ctx, [outcome.eventId]);
  return { revoked: outcome.revoked };
}
