import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { id } from './columns.ts';

export const deadLetterReasons = ['effect_failed', 'malformed', 'unknown_type'] as const;
export type DeadLetterReason = (typeof deadLetterReasons)[number];

export const deadLetterResolutions = ['redriven', 'replayed'] as const;
export type DeadLetterResolution = (typeof deadLetterResolutions)[number];

/** The effect name of a dead letter that stands for the whole message (it could not be parsed or routed). */
export const WHOLE_MESSAGE = '*';

/**
 * What the queue gave up on, kept where a person can see and replay it (ADR 0034): one row per event and
 * effect, so a failing cache refresh and the webhooks of the same event are retried and resolved apart.
 * The cron re-drives due rows with backoff; a super_admin lists and replays them. Rows are platform
 * records, not tenant data: the organization is a filter, without a foreign key, so a message naming an
 * organization that does not exist can still be parked.
 */
export const deadLetters = pgTable(
  'dead_letters',
  {
    id: id(),
    /** The envelope's id; `message:<queue message id>` when the body had no readable id. */
    eventId: text('event_id').notNull(),
    /** The effect that failed, or `*` for the whole message. */
    effect: text('effect').notNull(),
    eventType: text('event_type'),
    organizationId: uuid('organization_id'),
    reason: text('reason').$type<DeadLetterReason>().notNull(),
    /** The message body exactly as the queue delivered it. */
    envelope: jsonb('envelope').$type<unknown>().notNull(),
    lastError: text('last_error').notNull(),
    /** Re-drive and replay attempts since the queue gave up. */
    attempts: integer('attempts').notNull().default(0),
    firstFailedAt: timestamp('first_failed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** When the cron tries it next; null: it waits for a person (a malformed message cannot heal by itself). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true, mode: 'date' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolution: text('resolution').$type<DeadLetterResolution>(),
  },
  (t) => [
    unique('dead_letters_event_effect_key').on(t.eventId, t.effect),
    index('dead_letters_due_idx').on(t.nextAttemptAt).where(sql`${t.resolvedAt} is null`),
    index('dead_letters_unresolved_idx').on(t.firstFailedAt).where(sql`${t.resolvedAt} is null`),
    index('dead_letters_list_idx').on(t.firstFailedAt.desc(), t.id.desc()),
    check('dead_letters_reason', sql`${t.reason} in ('effect_failed', 'malformed', 'unknown_type')`),
    check('dead_letters_resolution', sql`${t.resolution} is null or ${t.resolution} in ('redriven', 'replayed')`),
    check('dead_letters_resolved', sql`(${t.resolvedAt} is null) = (${t.resolution} is null)`),
  ],
);

export type DeadLetter = typeof deadLetters.$inferSelect;
