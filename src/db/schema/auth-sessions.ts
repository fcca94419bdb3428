import { sql } from 'drizzle-orm';
import { boolean, check, index, inet, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';
import { users } from './users.ts';

/** Why a session ended before its time (docs/decisions/0035). */
export const sessionRevokedReasons = [
  /** POST /auth/logout */
  'sign_out',
  /** DELETE /api/v1/me/sessions/{id} */
  'revoked',
  /** An administrator changed the user's role or status. */
  'role_changed',
  'status_changed',
  /** The organization's SSO was removed or turned off. */
  'sso_removed',
] as const;
export type SessionRevokedReason = (typeof sessionRevokedReasons)[number];

/**
 * Browser sessions. The cookie holds 32 random bytes; only their SHA-256 (hex) is stored, as `id`, so a
 * copy of this table signs nobody in. A session lives until the earlier of its idle and absolute expiry,
 * or until revoked; one whose user has moved to another organization is dead (the lookup compares them).
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    /** The identity provider that authenticated the sign-in. */
    issuer: text('issuer').notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** Moved forward (at most once a minute) while the session is used, never past expires_at. */
    idleExpiresAt: timestamp('idle_expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** From the ID token: how the person authenticated (RFC 8176 values), the context class, and when. */
    amr: text('amr').array().notNull().default(sql`'{}'::text[]`),
    acr: text('acr'),
    authTime: timestamp('auth_time', { withTimezone: true, mode: 'date' }),
    /** Whether the identity provider says more than one factor was used (read from amr). */
    mfa: boolean('mfa').notNull().default(false),
    userAgent: text('user_agent'),
    ip: inet('ip'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    revokedReason: text('revoked_reason').$type<SessionRevokedReason>(),
  },
  (t) => [
    index('auth_sessions_user_idx').on(t.userId, t.createdAt.desc()),
    index('auth_sessions_organization_idx').on(t.organizationId),
    index('auth_sessions_expires_idx').on(t.expiresAt),
    check('auth_sessions_id_format', sql`${t.id} ~ '^[0-9a-f]{64}$'`),
    check('auth_sessions_revoked_complete', sql`(${t.revokedAt} is null) = (${t.revokedReason} is null)`),
    check(
      'auth_sessions_revoked_reason',
      sql`${t.revokedReason} is null or ${t.revokedReason} in ('sign_out', 'revoked', 'role_changed', 'status_changed', 'sso_removed')`,
    ),
    check('auth_sessions_amr_count', sql`cardinality(${t.amr}) <= 20`),
  ],
);

export type AuthSession = typeof authSessions.$inferSelect;
