import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from './organizations.ts';

/**
 * Transactional outbox: a change and its domain event commit together. The relay sends unsent rows to
 * the queue (right after commit, and from the cron as catch-up) and marks them sent.
 */
export const outbox = pgTable(
  'outbox',
  {
    /** The event id: consumers deduplicate on it. */
    id: uuid('id').primaryKey(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('outbox_unsent_idx').on(t.occurredAt).where(sql`${t.sentAt} is null`)],
);

/** Which consumer has handled which event: makes at-least-once delivery effectively once. */
export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: uuid('event_id').notNull(),
    consumer: text('consumer').notNull(),
    processedAt: timestamp('processed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: 'processed_events_pkey', columns: [t.eventId, t.consumer] })],
);

export type OutboxRow = typeof outbox.$inferSelect;
