import { eq } from 'drizzle-orm';
import type { MfaPolicy } from '../../auth/mfa.ts';
import type { Executor } from '../../db/executor.ts';
import { organizations, userRoles, type UserRole } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';

/** How the organization's members must authenticate (docs/decisions/0036). */
export interface SecurityPolicy {
  mfa: MfaPolicy;
}

export const securityPolicyColumns = {
  requiredRoles: organizations.mfaRequiredRoles,
  maxAgeSeconds: organizations.mfaMaxAgeSeconds,
  builtInTotp: organizations.mfaBuiltInTotp,
};

/** super_admin is always required (it acts in every organization); roles kept once, in the table's order. */
export const normalizeRequiredRoles = (roles: readonly UserRole[]): UserRole[] =>
  userRoles.filter((role) => role === 'super_admin' || roles.includes(role));

export async function loadSecurityPolicy(db: Executor, organizationId: string): Promise<SecurityPolicy> {
  const [row] = await db.select(securityPolicyColumns).from(organizations).where(eq(organizations.id, organizationId));
  if (!row) throw notFound('organization');
  return { mfa: { ...row, requiredRoles: normalizeRequiredRoles(row.requiredRoles) } };
}
