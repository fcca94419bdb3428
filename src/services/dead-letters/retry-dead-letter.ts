import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import {
  deadLetters,
  WHOLE_MESSAGE,
  type DeadLetter,
  type DeadLetterReason,
  type DeadLetterResolution,
} from '../../db/schema/index.ts';
import { parseEvent } from '../../events/catalogue.ts';
import type { ServiceContext } from '../container.ts';
import { definitionsOf, type RouteTable } from '../events/effects.ts';
import { runEffects } from '../events/run-effects.ts';
import { storableText } from './record-dead-letters.ts';
import { redriveDelaySeconds, secondsAfter } from './redrive-schedule.ts';

export type RetryOutcome = { ok: true } | { ok: false; reason: DeadLetterReason; error: string };

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * Runs a dead letter's effect again, directly (not through the queue, which may be what is failing): the
 * body is parsed with today's catalogue, so a message a newer deploy understands now goes through. A
 * whole-message row runs every effect of its type; those already recorded done are skipped.
 */
export async function retryDeadLetter(ctx: ServiceContext, row: DeadLetter, routes: RouteTable): Promise<RetryOutcome> {
  const parsed = parseEvent(row.envelope, definitionsOf(routes));
  if (parsed.status === 'malformed') {
    return { ok: false, reason: 'malformed', error: `malformed message: ${parsed.issues.join('; ')}` };
  }
  if (parsed.status === 'unknown_type') {
    return { ok: false, reason: 'unknown_type', error: `no consumer handles events of type ${parsed.envelope.type}` };
  }
  const { event } = parsed;
  const route = routes[event.type]!;
  if (row.effect !== WHOLE_MESSAGE && !Object.hasOwn(route.effects, row.effect)) {
    return { ok: false, reason: 'effect_failed', error: `${event.type} has no effect named ${row.effect} any more` };
  }
  const outcome = await runEffects(event, route, ctx, row.effect === WHOLE_MESSAGE ? undefined : [row.effect]);
  if (outcome.failed.length === 0) return { ok: true };
  return {
    ok: false,
    reason: 'effect_failed',
    error: outcome.failed.map((f) => `${f.effect}: ${messageOf(f.error)}`).join('; '),
  };
}

/**
 * Writes a try's outcome: resolved, or the error and the next try (none for a malformed message). Only an
 * unresolved row changes, so a replay and the cron finishing the same row at once cannot undo each other.
 */
export async function settleDeadLetter(
  db: Executor,
  row: DeadLetter,
  outcome: RetryOutcome,
  now: Date,
  resolution: DeadLetterResolution,
): Promise<DeadLetter> {
  const attempts = row.attempts + 1;
  const change = outcome.ok
    ? { attempts: sql`${deadLetters.attempts} + 1`, resolvedAt: now, resolution, nextAttemptAt: null }
    : {
        attempts: sql`${deadLetters.attempts} + 1`,
        reason: outcome.reason,
        lastError: storableText(outcome.error),
        lastFailedAt: now,
        nextAttemptAt: outcome.reason === 'malformed' ? null : secondsAfter(now, redriveDelaySeconds(attempts)),
      };
  const [after] = await db
    .update(deadLetters)
    .set(change)
    .where(and(eq(deadLetters.id, row.id), isNull(deadLetters.resolvedAt)))
    .returning();
  if (after) return after;
  const [current] = await db.select().from(deadLetters).where(eq(deadLetters.id, row.id));
  return current ?? row;
}
