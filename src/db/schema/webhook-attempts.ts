import { boolean, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.ts';
import { webhookDeliveries } from './webhook-deliveries.ts';

/** The delivery log: every request made (or refused before it left), with what came back. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: id(),
    deliveryId: uuid('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    attemptedAt: timestamp('attempted_at', { withTimezone: true, mode: 'date' }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** Null when no response came back (timeout, network error, address refused). */
    statusCode: integer('status_code'),
    /** The first bytes of the response body, capped. */
    responseExcerpt: text('response_excerpt'),
    error: text('error'),
    succeeded: boolean('succeeded').notNull(),
  },
  (t) => [unique('webhook_attempts_delivery_number_key').on(t.deliveryId, t.number)],
);

export type WebhookAttempt = typeof webhookAttempts.$inferSelect;
