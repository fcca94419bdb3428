import type { OrganizationSso, UserRole } from '../../db/schema/index.ts';

/** Roles an organization's provider can hand out; super_admin is granted by a super_admin only. */
export const ssoRoles = ['org_admin', 'editor', 'approver', 'viewer'] as const satisfies readonly UserRole[];
export type SsoRole = (typeof ssoRoles)[number];

export const MAX_ALLOWED_DOMAINS = 50;
export const MAX_ROLE_MAPPINGS = 50;

export interface SsoConfigInput {
  issuer: string;
  clientId: string;
  /** Required when the organization has none yet; left out, the stored one is kept. */
  clientSecret?: string | undefined;
  allowedDomains: string[];
  defaultRole: SsoRole | null;
  roleClaim: string | null;
  roleMapping: Record<string, SsoRole>;
  enabled: boolean;
}

/** Lower case, without duplicates, in order: the stored form, and what `@>` compares against. */
export const normalizeDomains = (domains: readonly string[]): string[] =>
  [...new Set(domains.map((domain) => domain.trim().toLowerCase()))].sort();

/** The part after the last `@`, lower-cased; undefined when there is none. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  return at > 0 && at < email.length - 1 ? email.slice(at + 1).toLowerCase() : undefined;
}

/** What an audit row shows of a configuration: never the secret (its change is noted separately). */
export const ssoSnapshot = (config: Omit<OrganizationSso, 'clientSecretEncrypted' | 'createdAt' | 'updatedAt'>) => ({
  issuer: config.issuer,
  clientId: config.clientId,
  allowedDomains: config.allowedDomains,
  defaultRole: config.defaultRole,
  roleClaim: config.roleClaim,
  roleMapping: config.roleMapping,
  enabled: config.enabled,
});

// When several of a person's groups map to roles, the one with the most power wins (the mapping is the
// administrator's statement of who is what, and a member of the admins group is an admin).
const PRECEDENCE: readonly SsoRole[] = ssoRoles;

/**
 * The role a person gets when provisioned at first sign-in: the role claim (a string, or an array of
 * strings) read through the mapping, else the default role; null means invitation only.
 */
export function provisionedRole(
  config: Pick<OrganizationSso, 'roleClaim' | 'roleMapping' | 'defaultRole'>,
  claims: Record<string, unknown>,
): SsoRole | null {
  if (config.roleClaim) {
    const raw = Object.hasOwn(claims, config.roleClaim) ? claims[config.roleClaim] : undefined;
    const values = Array.isArray(raw) ? raw : [raw];
    const mapped = new Set<string>();
    for (const value of values.slice(0, 1000)) {
      if (typeof value === 'string' && Object.hasOwn(config.roleMapping, value)) mapped.add(config.roleMapping[value]!);
    }
    const best = PRECEDENCE.find((role) => mapped.has(role));
    if (best) return best;
  }
  const fallback = config.defaultRole;
  return fallback && fallback !== 'super_admin' ? fallback : null;
}
