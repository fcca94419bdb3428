import { and, eq, isNull } from 'drizzle-orm';
import { mfaTotp } from '../../db/schema/index.ts';
import { fromBase32 } from '../../lib/base32.ts';
import { DomainError } from '../../lib/errors.ts';
import { matchTotpStep } from '../../lib/totp.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import {
  builtInTotpDisabled,
  callingUserId,
  loadOwnFactor,
  rememberVerification,
  type Credential,
} from './own-factor.ts';
import { generateRecoveryCodes, recoveryCodeDigest } from './recovery-codes.ts';
import { alreadyEnrolled, TOTP_ENROLMENT_TTL_SECONDS } from './start-totp-enrolment.ts';
import { openTotpSecret } from './totp-secret-store.ts';

export const invalidCode = () =>
  new DomainError('rule_violation', 'The code is not the current one of your authenticator.', {
    code: 'invalid_mfa_code',
    fields: [{ path: 'body.code', message: 'not the current code', code: 'invalid_mfa_code' }],
  });

const notStarted = (why: string) =>
  new DomainError(
    'conflict',
    `There is no enrolment waiting for a code: ${why}. Start one with POST /api/v1/me/mfa/totp.`,
    {
      code: 'mfa_enrolment_not_started',
    },
  );

export interface ConfirmedTotp {
  /** Shown this once; each works once, in place of a code. */
  recoveryCodes: string[];
  /** The credential this was sent with counts as multi-factor from now on (it proved the new factor). */
  verifiedAt: Date;
}

/**
 * The first code from the authenticator proves it holds the secret: the factor is confirmed, ten recovery
 * codes are issued (stored as digests), the code's step is spent, and the credential that sent it is
 * remembered as verified, as after POST /me/mfa/verify.
 */
export async function confirmTotpEnrolment({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { code: string; credential: Credential };
}): Promise<ConfirmedTotp> {
  const userId = callingUserId(ctx);
  const own = await loadOwnFactor(ctx.services.db, userId);
  if (!own.builtInTotp) throw builtInTotpDisabled();
  if (own.totp?.confirmedAt) throw alreadyEnrolled();
  if (!own.totp) throw notStarted('none was started');
  if (Date.now() - own.totp.createdAt.getTime() > TOTP_ENROLMENT_TTL_SECONDS * 1000)
    throw notStarted(`it expired ${TOTP_ENROLMENT_TTL_SECONDS / 60} minutes after it started`);
  const secret = await openTotpSecret(ctx.services.config.webhooks.secretKey, userId, own.totp.secretCiphertext);
  const step = await matchTotpStep(fromBase32(secret), input.code, new Date());
  if (step === undefined) throw invalidCode();
  const recoveryCodes = generateRecoveryCodes();
  const digests = await Promise.all(recoveryCodes.map((code) => recoveryCodeDigest(userId, code.replace('-', ''))));
  return ctx.services.db.transaction(async (tx) => {
    // Only the enrolment that was read: a restart in between (a new secret) makes this code worthless.
    const [confirmed] = await tx
      .update(mfaTotp)
      .set({ confirmedAt: new Date(), lastUsedStep: step, recoveryCodeHashes: digests })
      .where(
        and(
          eq(mfaTotp.userId, userId),
          eq(mfaTotp.secretCiphertext, own.totp!.secretCiphertext),
          isNull(mfaTotp.confirmedAt),
        ),
      )
      .returning({ confirmedAt: mfaTotp.confirmedAt });
    if (!confirmed) throw notStarted('it changed while this code was checked');
    const verifiedAt = await rememberVerification(tx, userId, input.credential, 'totp');
    await recordAudit(tx, ctx, {
      action: 'user.mfa_enrolled',
      entityType: 'user',
      entityId: userId,
      before: { totp: 'pending' },
      after: { totp: 'confirmed', recoveryCodes: recoveryCodes.length },
    });
    return { recoveryCodes, verifiedAt };
  });
}
