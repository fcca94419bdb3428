import { and, eq, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { mfaTotp } from '../../db/schema/index.ts';
import { fromBase32 } from '../../lib/base32.ts';
import { DomainError } from '../../lib/errors.ts';
import { matchTotpStep } from '../../lib/totp.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { invalidCode } from './confirm-totp-enrolment.ts';
import {
  builtInTotpDisabled,
  callingUserId,
  loadOwnFactor,
  rememberVerification,
  type Credential,
} from './own-factor.ts';
import { normalizeRecoveryCode, recoveryCodeDigest } from './recovery-codes.ts';
import { openTotpSecret } from './totp-secret-store.ts';

export type SecondFactorInput = { code: string; recoveryCode?: undefined } | { recoveryCode: string; code?: undefined };

export interface Verification {
  method: 'totp' | 'recovery_code';
  verifiedAt: Date;
  /** The verification lasts as long as the credential it was made with. */
  expiresAt: Date;
  recoveryCodesLeft: number;
}

const codeReused = () =>
  new DomainError('rule_violation', 'This code (or a later one) was already used; wait for the next code.', {
    code: 'mfa_code_already_used',
    fields: [{ path: 'body.code', message: 'already used', code: 'mfa_code_already_used' }],
  });

const invalidRecoveryCode = () =>
  new DomainError('rule_violation', 'The recovery code is not one of your unused recovery codes.', {
    code: 'invalid_mfa_code',
    fields: [{ path: 'body.recoveryCode', message: 'not an unused recovery code', code: 'invalid_mfa_code' }],
  });

/**
 * A code of the caller's authenticator, or one of their recovery codes, marks the credential it was sent
 * with as multi-factor until that credential expires. A code counts once (its step is spent, and so is
 * every earlier one); a recovery code is removed as it is used, in the statement that checks it, so two
 * requests racing with one code cannot both pass. Attempts are rate-limited per user by the route.
 */
export async function verifySecondFactor({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: SecondFactorInput & { credential: Credential };
}): Promise<Verification> {
  const userId = callingUserId(ctx);
  const own = await loadOwnFactor(ctx.services.db, userId);
  if (!own.builtInTotp) throw builtInTotpDisabled();
  const totp = own.totp;
  if (!totp?.confirmedAt) {
    throw new DomainError('conflict', 'You have no confirmed authenticator; enrol one with POST /api/v1/me/mfa/totp.', {
      code: 'mfa_not_enrolled',
    });
  }
  if (input.code !== undefined) {
    const secret = await openTotpSecret(ctx.services.config.webhooks.secretKey, userId, totp.secretCiphertext);
    const step = await matchTotpStep(fromBase32(secret), input.code, new Date());
    if (step === undefined) {
      ctx.logger.log('warn', 'mfa code refused', { event: 'mfa_code_refused', userId });
      throw invalidCode();
    }
    if (totp.lastUsedStep !== null && step <= totp.lastUsedStep) throw codeReused();
    return ctx.services.db.transaction(async (tx) => {
      const [spent] = await tx
        .update(mfaTotp)
        .set({ lastUsedStep: step })
        .where(
          and(
            eq(mfaTotp.userId, userId),
            isNotNull(mfaTotp.confirmedAt),
            or(isNull(mfaTotp.lastUsedStep), lt(mfaTotp.lastUsedStep, step)),
          ),
        )
        .returning({ userId: mfaTotp.userId });
      // Another request spent this step (or a later one) since the read.
      if (!spent) throw codeReused();
      const verifiedAt = await rememberVerification(tx, userId, input.credential, 'totp');
      await recordAudit(tx, ctx, {
        action: 'user.mfa_verified',
        entityType: 'user',
        entityId: userId,
        before: null,
        after: { method: 'totp' },
      });
      return {
        method: 'totp',
        verifiedAt,
        expiresAt: input.credential.expiresAt,
        recoveryCodesLeft: totp.recoveryCodesLeft,
      };
    });
  }
  const normalized = normalizeRecoveryCode(input.recoveryCode);
  if (!normalized) throw invalidRecoveryCode();
  const digest = await recoveryCodeDigest(userId, normalized);
  return ctx.services.db.transaction(async (tx) => {
    const [used] = await tx
      .update(mfaTotp)
      .set({ recoveryCodeHashes: sql`array_remove(${mfaTotp.recoveryCodeHashes}, ${digest}::text)` })
      .where(
        and(
          eq(mfaTotp.userId, userId),
          isNotNull(mfaTotp.confirmedAt),
          sql`${digest}::text = any(${mfaTotp.recoveryCodeHashes})`,
        ),
      )
      .returning({ left: sql<number>`cardinality(${mfaTotp.recoveryCodeHashes})`.mapWith(Number) });
    if (!used) {
      ctx.logger.log('warn', 'mfa recovery code refused', { event: 'mfa_code_refused', userId });
      throw invalidRecoveryCode();
    }
    const verifiedAt = await rememberVerification(tx, userId, input.credential, 'recovery_code');
    await recordAudit(tx, ctx, {
      action: 'user.mfa_recovery_code_used',
      entityType: 'user',
      entityId: userId,
      before: { recoveryCodesLeft: used.left + 1 },
      after: { recoveryCodesLeft: used.left },
    });
    return { method: 'recovery_code', verifiedAt, expiresAt: input.credential.expiresAt, recoveryCodesLeft: used.left };
  });
}
