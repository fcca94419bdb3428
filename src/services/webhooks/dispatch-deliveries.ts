import { and, eq, inArray, lt } from 'drizzle-orm';
import { webhookAttempts, webhookDeliveries as d } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { enqueueDeliveries, type EnqueueResult } from './delivery-jobs.ts';
import { retryDelaySeconds } from './retry-schedule.ts';

/** What the delivery log says of an attempt whose Worker never reported back. */
export const LOST_ATTEMPT_ERROR = 'no outcome: the attempt did not report back before its lease expired';

/**
 * The cron's part in delivery: retries whose wait exceeds the queue's 12-hour maximum are sent once they
 * come within reach, jobs whose send failed or got lost are sent again, and attempts whose Worker died
 * mid-flight (lease expired) are made again. Catch-up by time, never "this minute".
 */
export async function dispatchWebhookDeliveries({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { now: Date; organizationId?: string; random?: () => number };
}): Promise<EnqueueResult & { reclaimed: number }> {
  const { now } = input;
  const reclaimed = await reclaimLostAttempts(ctx, now, input.organizationId, input.random);
  const result = await enqueueDeliveries({
    ctx,
    input: { now, limit: 1000, ...(input.organizationId ? { organizationId: input.organizationId } : {}) },
  });
  return { ...result, reclaimed };
}

/**
 * An attempt whose lease expired is not known to have reached the receiver, so it is made again, with the
 * same webhook-id for receivers that deduplicate. It counts as a failed attempt and follows the retry
 * schedule: a delivery that kills its Worker every time (poison) ends dead-lettered, not retried forever.
 */
async function reclaimLostAttempts(
  ctx: ServiceContext,
  now: Date,
  organizationId: string | undefined,
  random?: () => number,
): Promise<number> {
  return ctx.services.db.transaction(async (tx) => {
    const lost = await tx
      .select()
      .from(d)
      .where(
        and(
          eq(d.status, 'sending'),
          lt(d.leaseExpiresAt, now),
          organizationId ? eq(d.organizationId, organizationId) : undefined,
        ),
      )
      .limit(500)
      .for('update', { skipLocked: true });
    if (lost.length === 0) return 0;
    await tx.insert(webhookAttempts).values(
      lost.map((row) => ({
        deliveryId: row.id,
        number: row.attemptCount + 1,
        attemptedAt: row.leaseExpiresAt ?? now,
        durationMs: 0,
        error: LOST_ATTEMPT_ERROR,
        succeeded: false,
      })),
    );
    for (const row of lost) {
      const delay = retryDelaySeconds(row.cycleAttempts + 1, random);
      const attempted = {
        attemptCount: row.attemptCount + 1,
        cycleAttempts: row.cycleAttempts + 1,
        lastAttemptAt: row.leaseExpiresAt ?? now,
        lastStatusCode: null,
        lastError: LOST_ATTEMPT_ERROR,
        leaseExpiresAt: null,
        queuedAt: null,
        jobToken: null,
      };
      await tx
        .update(d)
        .set(
          delay === undefined
            ? { ...attempted, status: 'dead_letter', nextAttemptAt: null }
            : { ...attempted, status: 'pending', nextAttemptAt: new Date(now.getTime() + delay * 1000) },
        )
        .where(inArray(d.id, [row.id]));
    }
    ctx.logger.log('warn', 'webhook attempts lost (lease expired): counted as failed', { deliveries: lost.length });
    return lost.length;
  });
}
