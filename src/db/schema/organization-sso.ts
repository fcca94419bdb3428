import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, updatedAt } from './columns.ts';
import { userRoleEnum, type UserRole } from './enums.ts';
import { organizations } from './organizations.ts';

/**
 * An organization's OpenID Connect provider (docs/decisions/0035): browsers sign in through it at
 * `/auth/{slug}/login`. The client secret is AES-256-GCM encrypted, bound to the organization's id;
 * the provider's endpoints come from its discovery document, never from here.
 */
export const organizationSso = pgTable(
  'organization_sso',
  {
    organizationId: uuid('organization_id')
      .primaryKey()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    /** Exactly as the provider's discovery document and ID tokens spell it. */
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    /** `v1.<base64 iv ‖ ciphertext ‖ tag>` */
    clientSecretEncrypted: text('client_secret_encrypted').notNull(),
    /** Lower-case email domains whose people may be provisioned at first sign-in. */
    allowedDomains: text('allowed_domains').array().notNull().default(sql`'{}'::text[]`),
    /** Role of a user provisioned at first sign-in; null: invitation only (unless the mapping gives one). */
    defaultRole: userRoleEnum('default_role'),
    /** ID token claim (a string or an array of strings) read through role_mapping at provisioning. */
    roleClaim: text('role_claim'),
    roleMapping: jsonb('role_mapping').$type<Record<string, Exclude<UserRole, 'super_admin'>>>().notNull().default({}),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // `/auth/login?email=` finds organizations by domain: `allowed_domains @> array[domain]` uses it.
    index('organization_sso_allowed_domains_idx').using('gin', t.allowedDomains),
    check('organization_sso_issuer_length', sql`char_length(${t.issuer}) between 1 and 2048`),
    check('organization_sso_client_id_length', sql`char_length(${t.clientId}) between 1 and 255`),
    check('organization_sso_allowed_domains_count', sql`cardinality(${t.allowedDomains}) <= 50`),
    // Platform-wide power is granted by a super_admin, never by an organization's identity provider.
    check('organization_sso_default_role', sql`${t.defaultRole} is null or ${t.defaultRole} <> 'super_admin'`),
    check('organization_sso_role_claim_length', sql`${t.roleClaim} is null or char_length(${t.roleClaim}) <= 100`),
  ],
);

export type OrganizationSso = typeof organizationSso.$inferSelect;
