import { generateApiKeySecret, hashApiKeySecret } from '../../auth/api-key-secret.ts';
import { assertCan } from '../../auth/assert.ts';
import { can, permissionTable, type Grant } from '../../auth/permissions.ts';
import { apiKeys, type ApiKey, type UserRole } from '../../db/schema/index.ts';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { assertExpiryAllowed, MAX_CREDENTIAL_LIFETIME_YEARS } from '../credentials/credential-rules.ts';
import { assertCreatorIsMember } from '../credentials/assert-creator-member.ts';

export const MAX_API_KEY_LIFETIME_YEARS = MAX_CREDENTIAL_LIFETIME_YEARS;

export interface CreateApiKeyInput {
  name: string;
  role: UserRole;
  /** Null: the key never expires (until revoked). */
  expiresAt: Date | null;
}

export interface CreatedApiKey {
  key: ApiKey;
  /** The only time the plaintext exists outside the caller: it is not stored, logged or audited. */
  secret: string;
}

const ruleViolation = (code: ErrorCodeOf<'rule_violation'>, message: string, path: string) =>
  new DomainError('rule_violation', message, { code, fields: [{ path, message, code }] });

/**
 * "Not more powerful" means every action the key's role allows is allowed to the caller (for a key
 * calling, to the key as narrowed by its creator's role). Roles are not a chain (editor and approver each
 * hold an action the other lacks), so permissions are compared rather than a rank. The check at creation
 * only keeps the stored role honest: what a key may do is narrowed again at every request.
 */
export function mayGrantRole(granter: Grant, role: UserRole): boolean {
  return permissionTable[role].every((action) => can(granter, action));
}

export async function createApiKey({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: CreateApiKeyInput;
}): Promise<CreatedApiKey> {
  const { actor } = ctx;
  assertCan(actor, 'api_keys.manage');
  if (input.role === 'super_admin') {
    throw ruleViolation('api_key_role_not_allowed', 'An API key cannot have the super_admin role.', 'body.role');
  }
  if (actor.type === 'system') {
    throw ruleViolation('api_key_creator_required', 'An API key is created on behalf of a user.', 'body');
  }
  if (!mayGrantRole(actor.permissions, input.role)) {
    throw new DomainError('forbidden', `A ${actor.role} may not create a key with the ${input.role} role.`, {
      code: 'api_key_role_escalation',
    });
  }
  assertExpiryAllowed(input.expiresAt);

  const { secret, prefix } = generateApiKeySecret();
  const secretHash = await hashApiKeySecret(secret);
  const key = await ctx.services.db.transaction(async (tx) => {
    await assertCreatorIsMember(tx, {
      userId: actor.userId,
      organizationId: ctx.organizationId,
      code: 'api_key_creator_not_member',
      message: 'API keys are created by a member of the organization they belong to.',
    });
    const [row] = await tx
      .insert(apiKeys)
      .values({
        organizationId: ctx.organizationId,
        name: input.name,
        role: input.role,
        prefix,
        secretHash,
        createdBy: actor.userId,
        expiresAt: input.expiresAt,
      })
      .returning();
    if (!row) throw new Error('insert into api_keys returned no row');
    await recordAudit(tx, ctx, {
      action: 'api_key.create',
      entityType: 'api_key',
      entityId: row.id,
      before: null,
      // Never the secret nor its hash: the audit log is readable by every org_admin.
      after: { name: row.name, role: row.role, prefix: row.prefix, expiresAt: row.expiresAt, createdBy: row.createdBy },
    });
    return row;
  });
  return { key, secret };
}
