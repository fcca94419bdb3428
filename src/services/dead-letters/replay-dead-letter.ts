import { and, eq, isNull } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { deadLetters, type DeadLetter } from '../../db/schema/index.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import type { RouteTable } from '../events/effects.ts';
import { REDRIVE_LEASE_SECONDS, secondsAfter } from './redrive-schedule.ts';
import { retryDeadLetter, settleDeadLetter } from './retry-dead-letter.ts';

/**
 * A super_admin runs a dead letter now instead of waiting for its next re-drive (after fixing what made it
 * fail, or to re-parse a malformed message with a newer deploy). The row is claimed like the cron claims
 * it, so the cron leaves it alone meanwhile; the outcome and the audit row commit together. A failed
 * replay is still a 200: the row says what went wrong and when the cron tries next.
 */
export async function replayDeadLetter({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; routes: RouteTable };
}): Promise<DeadLetter> {
  assertCan(ctx.actor, 'dead_letters.manage');
  const { db } = ctx.services;
  const now = new Date();
  const [row] = await db
    .update(deadLetters)
    .set({ nextAttemptAt: secondsAfter(now, REDRIVE_LEASE_SECONDS) })
    .where(and(eq(deadLetters.id, input.id), isNull(deadLetters.resolvedAt)))
    .returning();
  if (!row) {
    const [resolved] = await db.select({ id: deadLetters.id }).from(deadLetters).where(eq(deadLetters.id, input.id));
    if (!resolved) throw notFound('dead letter');
    throw new DomainError('conflict', 'This dead letter is already resolved.', { code: 'dead_letter_resolved' });
  }
  const outcome = await retryDeadLetter(ctx, row, input.routes);
  return db.transaction(async (tx) => {
    const after = await settleDeadLetter(tx, row, outcome, new Date(), 'replayed');
    // In the caller's organization: a dead letter may belong to no tenant, or name one that does not exist.
    await recordAudit(tx, ctx, {
      action: 'dead_letter.replay',
      entityType: 'dead_letter',
      entityId: row.id,
      before: { resolution: null, attempts: row.attempts, lastError: row.lastError },
      after: {
        resolution: after.resolution,
        attempts: after.attempts,
        lastError: after.lastError,
        eventId: row.eventId,
        eventType: row.eventType,
        effect: row.effect,
        organizationId: row.organizationId,
      },
    });
    return after;
  });
}
