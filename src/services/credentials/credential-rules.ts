import { and, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';

/** Rules shared by every secret-bearing credential (API keys, delivery tokens). */
export const credentialStatuses = ['active', 'revoked', 'expired'] as const;
export type CredentialStatus = (typeof credentialStatuses)[number];

/** Revocation wins over expiry: a revoked credential stays revoked whatever its expiry says. */
export function credentialStatus(
  credential: { revokedAt: Date | null; expiresAt: Date | null },
  now: Date = new Date(),
): CredentialStatus {
  if (credential.revokedAt) return 'revoked';
  if (credential.expiresAt && credential.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** The same rule as a filter; "active" is exactly what authentication accepts. */
export function credentialStatusCondition(
  columns: { revokedAt: PgColumn; expiresAt: PgColumn },
  status: CredentialStatus,
): SQL | undefined {
  switch (status) {
    case 'revoked':
      return isNotNull(columns.revokedAt);
    case 'expired':
      return and(isNull(columns.revokedAt), lte(columns.expiresAt, sql`now()`));
    case 'active':
      return and(isNull(columns.revokedAt), or(isNull(columns.expiresAt), gt(columns.expiresAt, sql`now()`)));
  }
}

export const MAX_CREDENTIAL_LIFETIME_YEARS = 2;

/** An expiry must be in the future and within the lifetime a credential may have (422 otherwise). */
export function assertExpiryAllowed(expiresAt: Date | null, now: Date = new Date()): void {
  if (!expiresAt) return;
  const violation = (code: ErrorCodeOf<'rule_violation'>, message: string) =>
    new DomainError('rule_violation', message, { code, fields: [{ path: 'body.expiresAt', message, code }] });
  if (expiresAt.getTime() <= now.getTime()) throw violation('expires_at_in_past', 'expiresAt must be in the future.');
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_CREDENTIAL_LIFETIME_YEARS);
  if (expiresAt.getTime() > latest.getTime())
    throw violation('expires_at_too_far', `expiresAt may be at most ${MAX_CREDENTIAL_LIFETIME_YEARS} years ahead.`);
}
