import { and, eq, lt } from 'drizzle-orm';
import { webhookDeliveries as d } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { enqueueDeliveries, type EnqueueResult } from './delivery-jobs.ts';

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
  input: { now: Date; organizationId?: string };
}): Promise<EnqueueResult & { reclaimed: number }> {
  const { db } = ctx.services;
  const { now } = input;
  const ofOrganization = input.organizationId ? eq(d.organizationId, input.organizationId) : undefined;
  // Not known to have reached the receiver: sent again, with the same webhook-id for receivers that deduplicate.
  const reclaimed = await db
    .update(d)
    .set({ status: 'pending', leaseExpiresAt: null, nextAttemptAt: now, queuedAt: null, jobToken: null })
    .where(and(eq(d.status, 'sending'), lt(d.leaseExpiresAt, now), ofOrganization))
    .returning({ id: d.id });
  const result = await enqueueDeliveries({
    ctx,
    input: { now, limit: 1000, ...(input.organizationId ? { organizationId: input.organizationId } : {}) },
  });
  return { ...result, reclaimed: reclaimed.length };
}
