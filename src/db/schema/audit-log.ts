import { bigint, index, inet, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organizations.ts';

/**
 * Append-only record of every mutation, written in the same transaction as the change. A trigger
 * (migrations/0002_audit_log_append_only.sql) rejects UPDATE and DELETE.
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
  },
  (t) => [
    index('audit_log_organization_time_idx').on(t.organizationId, t.occurredAt.desc(), t.id.desc()),
    index('audit_log_organization_entity_idx').on(t.organizationId, t.entityType, t.entityId),
    index('audit_log_organization_actor_idx').on(t.organizationId, t.actorId),
  ],
);

export type AuditEntry = typeof auditLog.$inferSelect;
export type NewAuditEntry = typeof auditLog.$inferInsert;
