import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organizations.ts';

/**
 * `Idempotency-Key` records (IETF httpapi-idempotency-key-header): one per organization, principal and
 * key. `requestHash` fingerprints method, path and body; the stored response is replayed for repeats.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    principalId: uuid('principal_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    /** `in_flight` until the first request finishes; then `completed` with its response. */
    state: text('state').notNull().default('in_flight'),
    /** An in-flight claim older than this is abandoned (the Worker died) and may be taken over. */
    lockedUntil: timestamp('locked_until', { withTimezone: true, mode: 'date' }).notNull(),
    /**
     * Random per claim: only the request holding it may complete or release the record, so a first request
     * that outlived its lock cannot overwrite or delete the claim a retry took over from it.
     */
    ownerToken: uuid('owner_token'),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.organizationId, t.principalId, t.key] }),
    index('idempotency_keys_expires_idx').on(t.expiresAt),
    check('idempotency_keys_state', sql`${t.state} in ('in_flight', 'completed')`),
  ],
);
