import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { apiKeys, deliveryTokens } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';

const credentialKinds = {
  api_key: { table: apiKeys, name: 'api key' },
  delivery_token: { table: deliveryTokens, name: 'delivery token' },
};

/**
 * Revocation of either credential kind, inside the caller's transaction: revoked_at is set once and
 * audited (`<kind>.revoke`), and its id (as stored) is returned; revoking a revoked credential changes
 * nothing, records nothing and returns null. Credentials are never deleted, so the audit log's
 * references keep resolving. Another organization's or an unknown id is 404.
 */
export async function revokeCredential(
  tx: Executor,
  ctx: TenantContext,
  input: { kind: keyof typeof credentialKinds; id: string },
): Promise<string | null> {
  const { table, name } = credentialKinds[input.kind];
  const ofTenant = and(eq(table.id, input.id), eq(table.organizationId, ctx.organizationId));
  const [revoked] = await tx
    .update(table)
    .set({ revokedAt: sql`now()` })
    .where(and(ofTenant, isNull(table.revokedAt)))
    .returning({ id: table.id, revokedAt: table.revokedAt });
  if (revoked) {
    await recordAudit(tx, ctx, {
      action: `${input.kind}.revoke`,
      entityType: input.kind,
      entityId: revoked.id,
      before: { revokedAt: null },
      after: { revokedAt: revoked.revokedAt },
    });
    return revoked.id;
  }
  const [existing] = await tx.select({ id: table.id }).from(table).where(ofTenant).limit(1);
  if (!existing) throw notFound(name);
  return null;
}
