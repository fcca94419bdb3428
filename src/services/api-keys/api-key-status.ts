import { and, gt, isNotNull, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { apiKeys, type ApiKey } from '../../db/schema/index.ts';

export const apiKeyStatuses = ['active', 'revoked', 'expired'] as const;
export type ApiKeyStatus = (typeof apiKeyStatuses)[number];

/** Revocation wins over expiry: a revoked key stays revoked whatever its expiry says. */
export function apiKeyStatus(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: Date = new Date()): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return 'expired';
  return 'active';
}

/** The same rule as apiKeyStatus, as a filter; "active" is exactly what authentication accepts. */
export function apiKeyStatusCondition(status: ApiKeyStatus): SQL | undefined {
  switch (status) {
    case 'revoked':
      return isNotNull(apiKeys.revokedAt);
    case 'expired':
      return and(isNull(apiKeys.revokedAt), lte(apiKeys.expiresAt, sql`now()`));
    case 'active':
      return and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)));
  }
}
