import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { userRoleEnum, userStatusEnum } from './enums.ts';
import { organizations } from './organizations.ts';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    role: userRoleEnum('role').notNull().default('viewer'),
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
    status: userStatusEnum('status').notNull().default('active'),
    lastLogin: timestamp('last_login', { withTimezone: true, mode: 'date' }),
    /**
     * The identity provider account (`iss`, `sub`) bound at first sign-in; afterwards only that account is
     * this user, whatever email its tokens carry (docs/decisions/0032). Null until the first sign-in.
     */
    idpIssuer: text('idp_issuer'),
    idpSubject: text('idp_subject'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Identity is resolved by email from tokens, case-insensitively; one account per address.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    // Lets content reference (creator, organization) so a creator can never belong to another tenant.
    unique('users_id_organization_key').on(t.id, t.organizationId),
    index('users_organization_idx').on(t.organizationId),
    // One IdP account is one person, and a person has one user row (emails are global): unique platform-wide.
    uniqueIndex('users_idp_identity_key').on(t.idpIssuer, t.idpSubject),
    check('users_idp_identity_complete', sql`(${t.idpIssuer} is null) = (${t.idpSubject} is null)`),
    // OpenID Connect Core 2: a subject is at most 255 ASCII characters; tokens with a longer one are refused.
    check('users_idp_subject_length', sql`char_length(${t.idpSubject}) <= 255`),
    check('users_email_format', sql`${t.email} ~* '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' and char_length(${t.email}) <= 320`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
