import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/executor.ts';
import { content, engagementDaily, engagementDropped, processedEvents } from '../../db/schema/index.ts';
import type { EngagementBatchEvent } from '../../events/engagement.ts';
import type { ServiceContext } from '../container.ts';
import { engagementMetrics } from './engagement-counts.ts';
import { tallyEngagement, type ContentLookup, type DropReason } from './tally-engagement.ts';

/** The consumer's name in processed_events. */
export const ENGAGEMENT_AGGREGATE_CONSUMER = 'engagement-aggregate';

export type AggregateOutcome =
  | { result: 'counted'; counted: number; dropped: Record<DropReason, number> }
  | { result: 'duplicate' };

/** `views = engagement_daily.views + excluded.views`, … : a redelivery never lands here (see below), so adding is exact. */
const addExcluded = Object.fromEntries(
  engagementMetrics.map((metric) => [
    metric,
    sql`${engagementDaily[metric]} + excluded.${sql.identifier(engagementDaily[metric].name)}`,
  ]),
);

/**
 * Handler of `engagement.batch`. Everything happens in one transaction that starts by claiming the batch id
 * in processed_events: a redelivered batch finds the claim and counts nothing, and a concurrent second
 * delivery waits on the claim's key until the first commits (then counts nothing) or rolls back (then
 * counts). The batch was checked against the catalogue where the queue read it: a malformed one never
 * gets here, it is dead-lettered (workers/queue.ts).
 */
export async function aggregateEngagementBatch({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { event: EngagementBatchEvent };
}): Promise<AggregateOutcome> {
  const { event } = input;
  const { organizationId } = event;
  const { events } = event.data;

  const outcome = await ctx.services.db.transaction(async (tx): Promise<AggregateOutcome> => {
    const claimed = await tx
      .insert(processedEvents)
      .values({ eventId: event.id, consumer: ENGAGEMENT_AGGREGATE_CONSUMER })
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId });
    if (claimed.length === 0) return { result: 'duplicate' };

    const tally = tallyEngagement(
      events,
      await lookupContent(
        tx,
        organizationId,
        events.map((e) => e.contentId),
      ),
    );
    if (tally.daily.length > 0) {
      await tx
        .insert(engagementDaily)
        .values(tally.daily.map((row) => ({ organizationId, ...row })))
        .onConflictDoUpdate({
          target: [engagementDaily.contentId, engagementDaily.day, engagementDaily.platform],
          set: { ...addExcluded, updatedAt: sql`now()` },
        });
    }
    if (tally.dropped.length > 0) {
      await tx
        .insert(engagementDropped)
        .values(tally.dropped.map((row) => ({ organizationId, ...row })))
        .onConflictDoUpdate({
          target: [engagementDropped.organizationId, engagementDropped.day, engagementDropped.reason],
          set: { count: sql`${engagementDropped.count} + excluded.count` },
        });
    }
    return { result: 'counted', counted: tally.counted, dropped: tally.droppedByReason };
  });

  const fields = {
    batchId: event.id,
    organizationId,
    deliveryTokenId: event.data.deliveryTokenId,
    events: events.length,
  };
  if (outcome.result === 'duplicate') ctx.logger.log('debug', 'engagement batch already counted', fields);
  else if (outcome.result === 'counted') {
    const droppedAny = outcome.dropped.unknown_content + outcome.dropped.not_published > 0;
    // Dropped events are normal (stale links, unpublished items) but a stream of them points at a misbehaving client.
    ctx.logger.log(droppedAny ? 'warn' : 'debug', 'engagement batch counted', {
      ...fields,
      counted: outcome.counted,
      dropped: outcome.dropped,
    });
  }
  return outcome;
}

/** The batch's ids as the organization knows them: absent ids are unknown to it (or another organization's). */
async function lookupContent(tx: Transaction, organizationId: string, ids: string[]): Promise<ContentLookup> {
  const rows = await tx
    .select({ id: content.id, published: sql<boolean>`${content.publishedVersion} is not null` })
    .from(content)
    .where(and(eq(content.organizationId, organizationId), inArray(content.id, [...new Set(ids)])));
  return new Map(rows.map((row) => [row.id, { published: row.published }]));
}
