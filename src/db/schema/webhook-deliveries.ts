import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { webhooks } from './webhooks.ts';

export const webhookDeliveryStatuses = ['pending', 'sending', 'succeeded', 'dead_letter'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event for one webhook: the message whose `webhook-id` stays the same across retries and replays.
 * The row is also the delivery's own outbox: a queue job exists only for the current job_token, so a
 * redelivered or superseded job finds nothing to claim. Attempts are in webhook_attempts.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    organizationId: uuid('organization_id').notNull(),
    webhookId: uuid('webhook_id').notNull(),
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** The exact JSON body sent and signed, identical on every attempt. */
    payload: text('payload').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    /** Every attempt ever made (numbers the attempts). */
    attemptCount: integer('attempt_count').notNull().default(0),
    /** Attempts since the delivery was created or last replayed: the position in the retry schedule. */
    cycleAttempts: integer('cycle_attempts').notNull().default(0),
    /** While pending: when the next attempt is due. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    /** When a queue job was last sent for job_token; null while the cron still has to send one. */
    queuedAt: timestamp('queued_at', { withTimezone: true, mode: 'date' }),
    jobToken: uuid('job_token'),
    /** While sending: after this the attempt is presumed lost (the Worker died) and is made again. */
    leaseExpiresAt: timestamp('lease_expires_at', { withTimezone: true, mode: 'date' }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true, mode: 'date' }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    succeededAt: timestamp('succeeded_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Fan-out is idempotent: an event reaches a webhook through one delivery, however often it is handled.
    unique('webhook_deliveries_event_webhook_key').on(t.eventId, t.webhookId),
    foreignKey({
      name: 'webhook_deliveries_webhook_fk',
      columns: [t.webhookId, t.organizationId],
      foreignColumns: [webhooks.id, webhooks.organizationId],
    }).onDelete('cascade'),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt.desc(), t.id.desc()),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index('webhook_deliveries_lease_idx').on(t.leaseExpiresAt).where(sql`${t.status} = 'sending'`),
    check('webhook_deliveries_status', sql`${t.status} in ('pending', 'sending', 'succeeded', 'dead_letter')`),
  ],
);

export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
