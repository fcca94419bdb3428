import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { revokeCredential } from '../credentials/revoke-credential.ts';

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
  const revokedId = await ctx.services.db.transaction((tx) =>
    revokeCredential(tx, ctx, { kind: 'api_key', id: input.id }),
  );
  return { revoked: revokedId !== null };
}
