import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { users } from './users.ts';

/**
 * A user's built-in TOTP factor (RFC 6238), one per user (docs/decisions/0036). The secret must stay usable,
 * so it is encrypted (AES-256-GCM, bound to the user id), never stored in the clear; recovery codes are
 * stored as SHA-256 digests and removed as they are used.
 */
export const mfaTotp = pgTable(
  'mfa_totp',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `v1.<base64 iv ‖ ciphertext ‖ tag>` of the base32 secret. */
    secretCiphertext: text('secret_ciphertext').notNull(),
    /** Null while the enrolment waits for its first code; only a confirmed factor counts. */
    confirmedAt: timestamp('confirmed_at', { withTimezone: true, mode: 'date' }),
    /** The 30-second step of the last code accepted: that code and every earlier one are refused (no replay). */
    lastUsedStep: bigint('last_used_step', { mode: 'number' }),
    /** SHA-256 (hex) of each unused recovery code. */
    recoveryCodeHashes: text('recovery_code_hashes').array().notNull().default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [check('mfa_totp_recovery_codes_bounded', sql`cardinality(${t.recoveryCodeHashes}) <= 20`)],
);

/**
 * A second factor verified for one credential (a bearer token, or a browser session), remembered until the
 * credential expires: requests carrying that credential count as multi-factor (docs/decisions/0036).
 */
export const mfaVerifications = pgTable(
  'mfa_verifications',
  {
    /** SHA-256 (hex) of the bearer token, or the session id (itself the cookie's SHA-256): no credential is stored. */
    credentialDigest: text('credential_digest').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** `totp` or `recovery_code`. */
    method: text('method').notNull(),
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** The credential's own expiry: the verification is worth nothing after it, and the cron removes it. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('mfa_verifications_user_idx').on(t.userId),
    index('mfa_verifications_expires_idx').on(t.expiresAt),
    check('mfa_verifications_method', sql`${t.method} in ('totp', 'recovery_code')`),
  ],
);

export type MfaTotp = typeof mfaTotp.$inferSelect;
export type MfaVerification = typeof mfaVerifications.$inferSelect;
