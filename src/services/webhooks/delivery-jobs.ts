import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { webhookDeliveries as d } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import { WEBHOOK_DELIVERY_JOB } from '../../events/webhooks.ts';
import { describe } from '../../lib/logger.ts';
import type { ServiceContext } from '../container.ts';
import { QUEUE_MAX_DELAY_SECONDS } from './retry-schedule.ts';

const QUEUE_BATCH = 100; // Queues' sendBatch limit
/** A job that should have run this long ago was lost (send failed after marking, DLQ): it is sent again. */
const OVERDUE_MS = 10 * 60_000;

const timestamp = (at: Date) => sql`${at.toISOString()}::timestamptz`;

export interface EnqueueResult {
  sent: number;
  failed: number;
}

/**
 * Sends a queue job for every pending delivery due within the queue's maximum delay that has no job yet
 * (or whose job is overdue), with the remaining wait as delaySeconds. Each job carries a fresh token and
 * only the delivery's current token can be claimed, so a job sent twice, or superseded by a newer one,
 * delivers nothing. Rows are marked before the send (a consumer may run before a later commit would be
 * visible); a failed send unmarks them for the next cron run. Longer waits stay in the table until the
 * cron finds them within reach.
 */
export async function enqueueDeliveries({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { ids?: string[]; organizationId?: string; now: Date; limit?: number };
}): Promise<EnqueueResult> {
  if (input.ids && input.ids.length === 0) return { sent: 0, failed: 0 };
  const { db, queue } = ctx.services;
  const { now } = input;
  const due = db
    .select({ id: d.id })
    .from(d)
    .where(
      and(
        eq(d.status, 'pending'),
        lte(d.nextAttemptAt, new Date(now.getTime() + QUEUE_MAX_DELAY_SECONDS * 1000)),
        or(isNull(d.queuedAt), lt(d.nextAttemptAt, new Date(now.getTime() - OVERDUE_MS))),
        input.ids ? inArray(d.id, input.ids) : undefined,
        input.organizationId ? eq(d.organizationId, input.organizationId) : undefined,
      ),
    )
    .orderBy(asc(d.nextAttemptAt))
    .limit(input.limit ?? 500)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(d)
    .set({
      jobToken: sql`gen_random_uuid()`,
      queuedAt: now,
      nextAttemptAt: sql`greatest(${d.nextAttemptAt}, ${timestamp(now)})`,
    })
    .where(inArray(d.id, due))
    .returning({ id: d.id, organizationId: d.organizationId, token: d.jobToken, nextAttemptAt: d.nextAttemptAt });

  let sent = 0;
  let failed = 0;
  for (let i = 0; i < claimed.length; i += QUEUE_BATCH) {
    const chunk = claimed.slice(i, i + QUEUE_BATCH);
    try {
      await queue.sendBatch(
        chunk.map((row) => ({
          body: {
            id: crypto.randomUUID(),
            type: WEBHOOK_DELIVERY_JOB,
            organizationId: row.organizationId,
            occurredAt: now.toISOString(),
            data: { deliveryId: row.id, token: row.token! },
          } satisfies EventEnvelope,
          delaySeconds: Math.min(
            QUEUE_MAX_DELAY_SECONDS,
            Math.max(0, Math.ceil((row.nextAttemptAt!.getTime() - now.getTime()) / 1000)),
          ),
        })),
      );
      sent += chunk.length;
    } catch (err) {
      ctx.logger.log('warn', 'webhook jobs: queue send failed; the cron sends them later', {
        deliveries: chunk.length,
        error: describe(err),
      });
      await db
        .update(d)
        .set({ queuedAt: null })
        .where(
          and(
            inArray(
              d.id,
              chunk.map((row) => row.id),
            ),
            inArray(
              d.jobToken,
              chunk.map((row) => row.token!),
            ),
          ),
        );
      failed += chunk.length;
    }
  }
  return { sent, failed };
}
