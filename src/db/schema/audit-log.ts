import { sql } from 'drizzle-orm';
import { bigint, index, inet, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
import { organizations } from './organizations.ts';

// Chain columns are assigned by the database (trigger audit_log_chain), whatever a writer sends: `default`
// in the INSERT keeps them out of the writer's hands and optional in the insert type.
const assignedByTrigger = () => sql`default`;

/**
 * Append-only record of every mutation, written in the same transaction as the change. A trigger
 * (migrations/0002_audit_log_append_only.sql) rejects UPDATE and DELETE, and the application's role may only
 * INSERT and SELECT (0010). Each organization's rows form a hash chain (0009, docs/decisions/0030).
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    /** `user` or `api_key` or `system`, and its id (null for system). */
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id'),
    action: text('action').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    requestId: text('request_id'),
    ip: inet('ip'),
    userAgent: text('user_agent'),
    /** Changed fields only: `{ before: {...}, after: {...} }`. */
    changes: jsonb('changes').$type<{ before: Record<string, unknown>; after: Record<string, unknown> }>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** 1, 2, 3, … per organization, in the order rows took the organization's chain head. */
    chainPosition: bigint('chain_position', { mode: 'number' }).notNull().$defaultFn(assignedByTrigger),
    /** The previous row's `hash` (32 zero bytes for position 1). */
    prevHash: bytea('prev_hash').notNull().$defaultFn(assignedByTrigger),
    /** sha256(prev_hash ‖ canonical form of this row): see audit_log_entry_hash in migrations/0009. */
    hash: bytea('hash').notNull().$defaultFn(assignedByTrigger),
  },
  (t) => [
    index('audit_log_organization_time_idx').on(t.organizationId, t.occurredAt.desc(), t.id.desc()),
    index('audit_log_organization_entity_idx').on(t.organizationId, t.entityType, t.entityId),
    index('audit_log_organization_actor_idx').on(t.organizationId, t.actorId),
    uniqueIndex('audit_log_organization_chain_key').on(t.organizationId, t.chainPosition),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
