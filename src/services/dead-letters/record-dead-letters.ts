import { sql } from 'drizzle-orm';
import { deadLetters, type DeadLetterReason } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { FIRST_REDRIVE_DELAY_SECONDS, secondsAfter } from './redrive-schedule.ts';

export interface NewDeadLetters {
  eventId: string;
  eventType: string | null;
  organizationId: string | null;
  /** The message body as the queue delivered it. */
  body: unknown;
  reason: DeadLetterReason;
  /** The effects to park, or `*` for the whole message. */
  effects: readonly string[];
  error: string;
}

const MAX_ERROR_CHARS = 2_000;

/** PostgreSQL text and jsonb refuse NUL; a dead letter must be storable whatever the message held. */
export const storableText = (text: string, max = MAX_ERROR_CHARS) => text.replaceAll('\u0000', '\uFFFD').slice(0, max);

function storableJson(body: unknown): unknown {
  try {
    const text = JSON.stringify(body);
    return text === undefined ? null : JSON.parse(text.replaceAll('\\u0000', '\\uFFFD'));
  } catch {
    return { unreadable: storableText(String(body)) };
  }
}

/**
 * Parks what the queue could not finish: one row per effect, upserted on (event id, effect), so the queue
 * delivering the same dead letter twice keeps one row, and a row resolved before and failing again is
 * opened again. A malformed message waits for a person (no next attempt); anything else is re-driven by
 * the cron. The caller acknowledges the message only after this returns.
 */
export async function recordDeadLetters({
  ctx,
  input,
  now = new Date(),
}: {
  ctx: ServiceContext;
  input: NewDeadLetters;
  now?: Date;
}): Promise<void> {
  if (input.effects.length === 0) return;
  const envelope = storableJson(input.body);
  const lastError = storableText(input.error);
  // From the clock, not the database's now(): millisecond values that list cursors round-trip exactly.
  const nextAttemptAt = input.reason === 'malformed' ? null : secondsAfter(now, FIRST_REDRIVE_DELAY_SECONDS);
  await ctx.services.db
    .insert(deadLetters)
    .values(
      input.effects.map((effect) => ({
        eventId: storableText(input.eventId, 200),
        effect,
        eventType: input.eventType === null ? null : storableText(input.eventType, 200),
        organizationId: input.organizationId,
        reason: input.reason,
        envelope,
        lastError,
        firstFailedAt: now,
        lastFailedAt: now,
        nextAttemptAt,
      })),
    )
    .onConflictDoUpdate({
      target: [deadLetters.eventId, deadLetters.effect],
      set: {
        reason: sql`excluded.reason`,
        envelope: sql`excluded.envelope`,
        lastError: sql`excluded.last_error`,
        lastFailedAt: sql`excluded.last_failed_at`,
        nextAttemptAt: sql`excluded.next_attempt_at`,
        resolvedAt: null,
        resolution: null,
      },
    });
  ctx.logger.log('error', 'dead letter recorded', {
    eventId: input.eventId,
    eventType: input.eventType,
    organizationId: input.organizationId,
    reason: input.reason,
    effects: input.effects,
    error: lastError,
  });
}
