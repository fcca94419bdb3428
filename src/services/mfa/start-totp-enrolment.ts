import { isNull, sql } from 'drizzle-orm';
import { mfaTotp } from '../../db/schema/index.ts';
import { toBase32 } from '../../lib/base32.ts';
import { DomainError } from '../../lib/errors.ts';
import { TOTP_DIGITS, TOTP_PERIOD_SECONDS } from '../../lib/totp.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { builtInTotpDisabled, callingUserId, loadOwnFactor } from './own-factor.ts';
import { sealTotpSecret } from './totp-secret-store.ts';

/** An enrolment not confirmed within this long must start again (a secret shown long ago may have been seen). */
export const TOTP_ENROLMENT_TTL_SECONDS = 15 * 60;
/** 160 bits, the HMAC-SHA1 block RFC 4226 §4 recommends. */
const SECRET_BYTES = 20;

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  expiresAt: Date;
}

export const alreadyEnrolled = () =>
  new DomainError(
    'conflict',
    'You already have a confirmed authenticator; remove it first (DELETE /api/v1/me/mfa/totp) or ask an administrator to reset it.',
    { code: 'mfa_already_enrolled' },
  );

/** `otpauth://totp/Issuer:account?secret=…` (the Key Uri Format authenticator apps scan as a QR code). */
function otpauthUri(issuer: string, account: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  const params = new URLSearchParams({
    secret,
    issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params}`;
}

/**
 * Starts (or restarts) the caller's TOTP enrolment: a new secret, stored encrypted and shown this once.
 * It counts for nothing until a code confirms it. A confirmed factor is never replaced here, so a stolen
 * token without MFA cannot swap in the thief's authenticator: removing a confirmed one needs MFA.
 */
export async function startTotpEnrolment({ ctx }: { ctx: TenantContext }): Promise<TotpEnrolment> {
  const userId = callingUserId(ctx);
  const secret = toBase32(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
  const ciphertext = await sealTotpSecret(ctx.services.config.webhooks.secretKey, userId, secret);
  return ctx.services.db.transaction(async (tx) => {
    const own = await loadOwnFactor(tx, userId);
    if (!own.builtInTotp) throw builtInTotpDisabled();
    if (own.totp?.confirmedAt) throw alreadyEnrolled();
    const fresh = { secretCiphertext: ciphertext, confirmedAt: null, lastUsedStep: null, recoveryCodeHashes: [] };
    const [row] = await tx
      .insert(mfaTotp)
      .values({ userId, ...fresh })
      .onConflictDoUpdate({
        target: mfaTotp.userId,
        set: { ...fresh, createdAt: sql`now()` },
        setWhere: isNull(mfaTotp.confirmedAt),
      })
      .returning({ createdAt: mfaTotp.createdAt });
    // A confirmation committed between the read and the write: the factor is confirmed now.
    if (!row) throw alreadyEnrolled();
    await recordAudit(tx, ctx, {
      action: 'user.mfa_enrolment_started',
      entityType: 'user',
      entityId: userId,
      before: { totp: own.totp ? 'pending' : null, startedAt: own.totp?.createdAt ?? null },
      after: { totp: 'pending', startedAt: row.createdAt },
    });
    return {
      secret,
      otpauthUri: otpauthUri(ctx.services.config.mfa.totpIssuer, own.email, secret),
      expiresAt: new Date(row.createdAt.getTime() + TOTP_ENROLMENT_TTL_SECONDS * 1000),
    };
  });
}
