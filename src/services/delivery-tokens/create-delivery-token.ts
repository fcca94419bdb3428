import { DELIVERY_TOKEN_PREFIX, generateSecret, hashApiKeySecret } from '../../auth/api-key-secret.ts';
import { assertCan } from '../../auth/assert.ts';
import { deliveryTokens, type DeliveryToken } from '../../db/schema/index.ts';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { assertExpiryAllowed, MAX_CREDENTIAL_LIFETIME_YEARS } from '../credentials/credential-rules.ts';
import { assertCreatorIsMember } from '../credentials/assert-creator-member.ts';
import { DELIVERY_TOKEN_CREATED_EVENT } from '../../events/delivery-access.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';

export const MAX_DELIVERY_TOKEN_LIFETIME_YEARS = MAX_CREDENTIAL_LIFETIME_YEARS;

export interface CreateDeliveryTokenInput {
  name: string;
  /** Null: the token never expires (until revoked). */
  expiresAt: Date | null;
}

export interface CreatedDeliveryToken {
  token: DeliveryToken;
  /** The only time the plaintext exists outside the caller: it is not stored, logged or audited. */
  secret: string;
}

const ruleViolation = (code: ErrorCodeOf<'rule_violation'>, message: string, path: string) =>
  new DomainError('rule_violation', message, { code, fields: [{ path, message, code }] });

export async function createDeliveryToken({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: CreateDeliveryTokenInput;
}): Promise<CreatedDeliveryToken> {
  const { actor } = ctx;
  assertCan(actor, 'delivery_tokens.manage');
  if (actor.type === 'system') {
    throw ruleViolation('delivery_token_creator_required', 'A delivery token is created on behalf of a user.', 'body');
  }
  assertExpiryAllowed(input.expiresAt);

  const { secret, prefix } = generateSecret(DELIVERY_TOKEN_PREFIX);
  const secretHash = await hashApiKeySecret(secret);
  const { token, eventId } = await ctx.services.db.transaction(async (tx) => {
    await assertCreatorIsMember(tx, {
      userId: actor.userId,
      organizationId: ctx.organizationId,
      code: 'delivery_token_creator_not_member',
      message: 'Delivery tokens are created by a member of the organization they belong to.',
    });
    const [row] = await tx
      .insert(deliveryTokens)
      .values({
        organizationId: ctx.organizationId,
        name: input.name,
        prefix,
        secretHash,
        createdBy: actor.userId,
        expiresAt: input.expiresAt,
      })
      .returning();
    if (!row) throw new Error('insert into delivery_tokens returned no row');
    await recordAudit(tx, ctx, {
      action: 'delivery_token.create',
      entityType: 'delivery_token',
      entityId: row.id,
      before: null,
      // Never the secret nor its hash: the audit log is readable by every org_admin.
      after: { name: row.name, prefix: row.prefix, expiresAt: row.expiresAt, createdBy: row.createdBy },
    });
    // The delivery API may remember this hash as unknown (docs/decisions/0031): the event clears that.
    const id = await enqueueEvent(tx, ctx, DELIVERY_TOKEN_CREATED_EVENT, { deliveryTokenId: row.id });
    return { token: row, eventId: id };
  });
  relayAfterCommit(ctx, [eventId]);
  return { token, secret };
}
