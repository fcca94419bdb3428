import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import type { MfaPolicy } from '../../auth/mfa.ts';
import { organizations } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { normalizeRequiredRoles, securityPolicyColumns, type SecurityPolicy } from './security-policy.ts';

// Flat, so the audit entry shows only the settings that changed.
const auditFields = (policy: MfaPolicy) => ({
  mfaRequiredRoles: policy.requiredRoles,
  mfaMaxAgeSeconds: policy.maxAgeSeconds,
  mfaBuiltInTotp: policy.builtInTotp,
});

export interface SecurityPolicyChanges {
  mfa?: { [K in keyof MfaPolicy]?: MfaPolicy[K] | undefined } | undefined;
}

/**
 * Fields left out keep their value; the change applies from the next request of every member (the policy
 * is read with the caller on each request). super_admin stays required whatever the list says. A change
 * that changes nothing writes nothing and audits nothing.
 */
export async function updateSecurityPolicy({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: SecurityPolicyChanges;
}): Promise<SecurityPolicy> {
  assertCan(ctx.actor, 'security.manage');
  return ctx.services.db.transaction(async (tx) => {
    const [row] = await tx
      .select(securityPolicyColumns)
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId))
      .for('update');
    if (!row) throw notFound('organization');
    const before: MfaPolicy = { ...row, requiredRoles: normalizeRequiredRoles(row.requiredRoles) };
    const changes = input.mfa ?? {};
    const after: MfaPolicy = {
      requiredRoles: changes.requiredRoles ? normalizeRequiredRoles(changes.requiredRoles) : before.requiredRoles,
      maxAgeSeconds: changes.maxAgeSeconds === undefined ? before.maxAgeSeconds : changes.maxAgeSeconds,
      builtInTotp: changes.builtInTotp ?? before.builtInTotp,
    };
    if (JSON.stringify(after) === JSON.stringify(before)) return { mfa: before };
    await tx
      .update(organizations)
      .set({
        mfaRequiredRoles: [...after.requiredRoles],
        mfaMaxAgeSeconds: after.maxAgeSeconds,
        mfaBuiltInTotp: after.builtInTotp,
      })
      .where(eq(organizations.id, ctx.organizationId));
    await recordAudit(tx, ctx, {
      action: 'organization.security_policy_update',
      entityType: 'organization',
      entityId: ctx.organizationId,
      before: auditFields(before),
      after: auditFields(after),
    });
    return { mfa: after };
  });
}
