import { bigint, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
import { organizations } from './organizations.ts';

/**
 * The last link of each organization's audit chain. Written only by the trigger audit_log_chain, which
 * runs with its owner's rights (the application's role may only read it); the trigger locks the row, so
 * an organization's audit inserts take positions one at a time (docs/decisions/0030).
 */
export const auditChainHeads = pgTable('audit_chain_heads', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'restrict' }),
  position: bigint('position', { mode: 'number' }).notNull(),
  hash: bytea('hash').notNull(),
});

/**
 * How far the cron has verified each organization's chain, and the hash it found there: the next run
 * starts from it, and a later rewrite of anything before it no longer matches. `brokenPosition` is set
 * once a break is found (it stays until an operator has looked: the chain cannot be repaired).
 */
export const auditChainCheckpoints = pgTable('audit_chain_checkpoints', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'restrict' }),
  position: bigint('position', { mode: 'number' }).notNull(),
  hash: bytea('hash').notNull(),
  verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  brokenPosition: bigint('broken_position', { mode: 'number' }),
  brokenAt: timestamp('broken_at', { withTimezone: true, mode: 'date' }),
});

export type AuditChainCheckpoint = typeof auditChainCheckpoints.$inferSelect;
