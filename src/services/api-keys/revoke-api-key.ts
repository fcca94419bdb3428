import { and, eq, isNull, sql } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { apiKeys } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';

/**
 * Revocation is immediate (authentication reads revoked_at on every request) and idempotent: revoking
 * a revoked key changes nothing and records nothing. Keys are never deleted, so the audit log's
 * references keep resolving.
 */
export async function revokeApiKey({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string };
}): Promise<{ revoked: boolean }> {
  assertCan(ctx.actor, 'api_keys.manage');
  return ctx.services.db.transaction(async (tx) => {
    const ofTenant = and(eq(apiKeys.id, input.id), eq(apiKeys.organizationId, ctx.organizationId));
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()` })
      .where(and(ofTenant, isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, revokedAt: apiKeys.revokedAt });
    if (revoked) {
      await recordAudit(tx, ctx, {
        action: 'api_key.revoke',
        entityType: 'api_key',
        entityId: revoked.id,
        before: { revokedAt: null },
        after: { revokedAt: revoked.revokedAt },
      });
      return { revoked: true };
    }
    const [existing] = await tx.select({ id: apiKeys.id }).from(apiKeys).where(ofTenant).limit(1);
    if (!existing) throw notFound('api key');
    return { revoked: false };
  });
}
