import { and, asc, inArray, isNull, lte } from 'drizzle-orm';
import { deadLetters, type DeadLetter } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import type { RouteTable } from '../events/effects.ts';
import { REDRIVE_LEASE_SECONDS, secondsAfter } from './redrive-schedule.ts';
import { retryDeadLetter, settleDeadLetter } from './retry-dead-letter.ts';

/** Rows re-driven side by side: enough to drain a backlog, few enough not to swamp a recovering dependency. */
const CONCURRENCY = 4;

export interface RedriveResult {
  resolved: number;
  failed: number;
}

/**
 * The cron's part: every due dead letter is claimed (its next attempt pushed past a lease, in one statement
 * with SKIP LOCKED, so overlapping ticks never take the same row) and its effect run again; success
 * resolves it, failure backs it off (1 min doubling to 6 h). Catch-up by time: whatever is due runs.
 */
export async function redriveDeadLetters({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { now: Date; routes: RouteTable; limit: number; ids?: string[] };
}): Promise<RedriveResult> {
  const { db } = ctx.services;
  const { now } = input;
  if (input.ids && input.ids.length === 0) return { resolved: 0, failed: 0 };
  const due = db
    .select({ id: deadLetters.id })
    .from(deadLetters)
    .where(
      and(
        isNull(deadLetters.resolvedAt),
        lte(deadLetters.nextAttemptAt, now),
        input.ids ? inArray(deadLetters.id, input.ids) : undefined,
      ),
    )
    .orderBy(asc(deadLetters.nextAttemptAt))
    .limit(input.limit)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(deadLetters)
    .set({ nextAttemptAt: secondsAfter(now, REDRIVE_LEASE_SECONDS) })
    .where(inArray(deadLetters.id, due))
    .returning();
  const result: RedriveResult = { resolved: 0, failed: 0 };
  for (let i = 0; i < claimed.length; i += CONCURRENCY) {
    await Promise.all(claimed.slice(i, i + CONCURRENCY).map((row) => redriveOne(ctx, row, input.routes, result)));
  }
  return result;
}

async function redriveOne(ctx: ServiceContext, row: DeadLetter, routes: RouteTable, result: RedriveResult) {
  const outcome = await retryDeadLetter(ctx, row, routes);
  const after = await settleDeadLetter(ctx.services.db, row, outcome, new Date(), 'redriven');
  const fields = { deadLetterId: row.id, eventId: row.eventId, eventType: row.eventType, effect: row.effect };
  if (outcome.ok) {
    result.resolved++;
    ctx.logger.log('info', 'dead letter re-driven', { ...fields, attempts: after.attempts });
  } else {
    result.failed++;
    ctx.logger.log('warn', 'dead letter re-drive failed', {
      ...fields,
      attempts: after.attempts,
      error: outcome.error,
      nextAttemptAt: after.nextAttemptAt?.toISOString() ?? null,
    });
  }
}
