import { eq, sql } from 'drizzle-orm';
import type { Authentication } from '../../auth/authentication.ts';
import type { Executor } from '../../db/executor.ts';
import { mfaTotp, mfaVerifications, organizations, users } from '../../db/schema/index.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

/** Second factors belong to people: an API key (or the platform) has none to enrol, verify or remove. */
export function callingUserId(ctx: TenantContext): string {
  if (ctx.actor.type !== 'user') {
    throw new DomainError('forbidden', 'Only a user has a second factor; API keys are never asked for one.', {
      code: 'mfa_user_required',
    });
  }
  return ctx.actor.id;
}

/** The credential a verification is remembered for: the caller's bearer token (or session). */
export type Credential = Pick<Authentication, 'credentialDigest' | 'expiresAt'>;

export const builtInTotpDisabled = () =>
  new DomainError(
    'forbidden',
    "The organization's security policy turned the built-in authenticator off; use your identity provider's MFA.",
    { code: 'built_in_totp_disabled' },
  );

/** The user's address (for the authenticator's label), their organization's policy, and their factor if any. */
export async function loadOwnFactor(db: Executor, userId: string) {
  const [row] = await db
    .select({
      email: users.email,
      builtInTotp: organizations.mfaBuiltInTotp,
      maxAgeSeconds: organizations.mfaMaxAgeSeconds,
      totp: {
        secretCiphertext: mfaTotp.secretCiphertext,
        confirmedAt: mfaTotp.confirmedAt,
        lastUsedStep: mfaTotp.lastUsedStep,
        createdAt: mfaTotp.createdAt,
        recoveryCodesLeft: sql<number>`cardinality(${mfaTotp.recoveryCodeHashes})`.mapWith(Number),
      },
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(mfaTotp, eq(mfaTotp.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) throw notFound('user');
  // A left join yields an object of nulls for a user without a factor.
  return { ...row, totp: row.totp?.secretCiphertext ? row.totp : null };
}

/**
 * Remembers that this credential passed a second factor now, until it expires: later requests with it
 * find the row in the same statement that resolves the user (services/identity/resolve-principal.ts).
 */
export async function rememberVerification(
  tx: Executor,
  userId: string,
  credential: Credential,
  method: 'totp' | 'recovery_code',
): Promise<Date> {
  const [row] = await tx
    .insert(mfaVerifications)
    .values({ credentialDigest: credential.credentialDigest, userId, method, expiresAt: credential.expiresAt })
    .onConflictDoUpdate({
      target: mfaVerifications.credentialDigest,
      set: { method, verifiedAt: sql`now()`, expiresAt: credential.expiresAt },
      // A digest is one token, so one user; never let a row move to another.
      setWhere: eq(mfaVerifications.userId, userId),
    })
    .returning({ verifiedAt: mfaVerifications.verifiedAt });
  if (!row) throw new Error('a verification digest belongs to another user');
  return row.verifiedAt;
}

/** Forgets every verification of the user's credentials (their factor was removed or reset). */
export async function forgetVerifications(tx: Executor, userId: string): Promise<number> {
  const rows = await tx
    .delete(mfaVerifications)
    .where(eq(mfaVerifications.userId, userId))
    .returning({ digest: mfaVerifications.credentialDigest });
  return rows.length;
}
