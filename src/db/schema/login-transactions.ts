import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { organizations } from './organizations.ts';

/**
 * A browser sign-in between `/auth/{org}/login` and `/auth/callback`: what the callback must find again
 * (nonce, PKCE verifier, where to return) under the `state` sent to the provider. Deleted by the callback
 * that reads it, so a replayed callback finds nothing; the browser that started it holds a cookie whose
 * SHA-256 is `browser_binding`, so a callback in another browser (login CSRF) finds nothing either.
 */
export const loginTransactions = pgTable(
  'login_transactions',
  {
    state: text('state').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** The provider and client the sign-in started with: a configuration changed meanwhile voids it. */
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    nonce: text('nonce').notNull(),
    codeVerifier: text('code_verifier').notNull(),
    redirectUri: text('redirect_uri').notNull(),
    /** A path on this origin. */
    returnTo: text('return_to').notNull(),
    browserBinding: text('browser_binding').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [index('login_transactions_expires_idx').on(t.expiresAt)],
);

export type LoginTransaction = typeof loginTransactions.$inferSelect;
