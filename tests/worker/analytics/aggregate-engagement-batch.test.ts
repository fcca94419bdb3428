import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index.ts';
import { deadLetters, processedEvents } from '../../../src/db/schema/index.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { ENGAGEMENT_BATCH_EVENT, type EngagementBatchEvent } from '../../../src/events/engagement.ts';
import {
  aggregateEngagementBatch,
  ENGAGEMENT_AGGREGATE_CONSUMER,
} from '../../../src/services/analytics/aggregate-engagement-batch.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { processBatch } from '../../../workers/queue.ts';
import { batchOf, daysAgo, dailyOf, droppedOf, event, insertItem, recordingLogs, today } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, ctx, context, newTenant } = useHarness();

const aggregate = (envelope: EngagementBatchEvent, on: ServiceContext = ctx) =>
  aggregateEngagementBatch({ ctx: on, input: { event: envelope } });

async function setup() {
  const org = await newTenant();
  const owner = { organizationId: org.id, creatorId: org.users.editor.id };
  return { org, owner, item: await insertItem(db, owner) };
}

const counts = (views = 0, clicks = 0, shares = 0, likes = 0) => ({ views, clicks, shares, likes });

describe('engagement.batch consumer', () => {
  it('counts events per item, UTC day of occurredAt and platform, and adds later batches to the same rows', async () => {
    const { org, item } = await setup();
    const yesterday = daysAgo(1);
    const first = batchOf(org.id, [
      event('view', item.id, 'web'),
      event('view', item.id, 'web'),
      event('click', item.id, 'web'),
      event('like', item.id, 'app'),
      event('share', item.id, 'web', yesterday),
      // Days are UTC: 23:59:59.999Z is still yesterday, and so is 01:30 today at +02:00.
      { type: 'view', contentId: item.id, platform: 'web', occurredAt: `${yesterday}T23:59:59.999Z` },
      { type: 'view', contentId: item.id, platform: 'web', occurredAt: `${today()}T01:30:00+02:00` },
    ]);
    expect(await aggregate(first)).toEqual({
      result: 'counted',
      counted: 7,
      dropped: { unknown_content: 0, not_published: 0 },
    });
    expect(await dailyOf(db, item.id)).toEqual([
      { day: yesterday, platform: 'web', ...counts(2, 0, 1) },
      { day: today(), platform: 'app', ...counts(0, 0, 0, 1) },
      { day: today(), platform: 'web', ...counts(2, 1) },
    ]);

    expect(
      (await aggregate(batchOf(org.id, [event('view', item.id, 'web'), event('like', item.id, 'app')]))).result,
    ).toBe('counted');
    expect(await dailyOf(db, item.id)).toEqual([
      { day: yesterday, platform: 'web', ...counts(2, 0, 1) },
      { day: today(), platform: 'app', ...counts(0, 0, 0, 2) },
      { day: today(), platform: 'web', ...counts(3, 1) },
    ]);
  });

  it('counts a redelivered batch once, and records the batch id as processed', async () => {
    const { org, item } = await setup();
    const batch = batchOf(org.id, [event('view', item.id), event('click', item.id)]);
    expect((await aggregate(batch)).result).toBe('counted');
    expect(await aggregate(batch)).toEqual({ result: 'duplicate' });
    expect(await aggregate(batch)).toEqual({ result: 'duplicate' });
    expect(await dailyOf(db, item.id)).toEqual([{ day: today(), platform: 'web', ...counts(1, 1) }]);
    const claims = await db
      .select()
      .from(processedEvents)
      .where(and(eq(processedEvents.eventId, batch.id), eq(processedEvents.consumer, ENGAGEMENT_AGGREGATE_CONSUMER)));
    expect(claims).toHaveLength(1);
  });

  it('counts a batch once when two deliveries race (separate connections)', async () => {
    const { org, item } = await setup();
    const batch = batchOf(org.id, [event('view', item.id), event('view', item.id), event('share', item.id)]);
    const runners = [context(), context(), context()];
    try {
      const outcomes = await Promise.all(runners.map((runner) => aggregate(batch, runner)));
      expect(outcomes.map((o) => o.result).sort()).toEqual(['counted', 'duplicate', 'duplicate']);
    } finally {
      await Promise.all(runners.map((runner) => runner.services.dispose()));
    }
    expect(await dailyOf(db, item.id)).toEqual([{ day: today(), platform: 'web', ...counts(2, 0, 1) }]);
  });

  it('counts only the good events: unknown, unpublished and other organizations\u2019 items are dropped per day and reason', async () => {
    const { org, owner, item } = await setup();
    const draft = await insertItem(db, owner, { published: false });
    // Edited after publication: the working copy is a draft again, the published snapshot is still live.
    const republishing = await insertItem(db, owner, { status: 'draft', publishedVersion: 1 });
    const other = await newTenant();
    const foreign = await insertItem(db, { organizationId: other.id, creatorId: other.users.editor.id });
    const yesterday = daysAgo(1);

    const { ctx: recorded, lines } = recordingLogs(ctx);
    const batch = batchOf(org.id, [
      event('view', item.id),
      event('view', republishing.id),
      event('view', crypto.randomUUID()),
      event('click', crypto.randomUUID(), 'web', yesterday),
      event('view', foreign.id),
      event('view', draft.id),
      event('like', draft.id, 'app', yesterday),
    ]);
    const outcome = await aggregate(batch, recorded);

    expect(outcome).toEqual({ result: 'counted', counted: 2, dropped: { unknown_content: 3, not_published: 2 } });
    expect(await dailyOf(db, item.id)).toEqual([{ day: today(), platform: 'web', ...counts(1) }]);
    expect(await dailyOf(db, republishing.id)).toEqual([{ day: today(), platform: 'web', ...counts(1) }]);
    expect(await dailyOf(db, draft.id)).toEqual([]);
    expect(await dailyOf(db, foreign.id)).toEqual([]);
    expect(await droppedOf(db, org.id)).toEqual([
      { day: yesterday, reason: 'not_published', count: 1 },
      { day: yesterday, reason: 'unknown_content', count: 1 },
      { day: today(), reason: 'not_published', count: 1 },
      { day: today(), reason: 'unknown_content', count: 2 },
    ]);
    // The other organization learns nothing either: its own tallies are untouched.
    expect(await droppedOf(db, other.id)).toEqual([]);
    expect(lines).toEqual([
      {
        level: 'warn',
        msg: 'engagement batch counted',
        fields: expect.objectContaining({
          batchId: batch.id,
          organizationId: org.id,
          events: 7,
          counted: 2,
          dropped: { unknown_content: 3, not_published: 2 },
        }),
      },
    ]);

    await aggregate(batchOf(org.id, [event('view', crypto.randomUUID())]));
    expect((await droppedOf(db, org.id)).find((r) => r.day === today() && r.reason === 'unknown_content')?.count).toBe(
      3,
    );
  });

  it('dead-letters a malformed batch (logged with its id) without counting or claiming it', async () => {
    const { org, item } = await setup();
    const malformed = [
      newEvent(ENGAGEMENT_BATCH_EVENT, org.id, {
        receivedAt: new Date().toISOString(),
        deliveryTokenId: crypto.randomUUID(),
        events: [{ type: 'hover', contentId: item.id, platform: 'web', occurredAt: new Date().toISOString() }],
      }),
      newEvent(ENGAGEMENT_BATCH_EVENT, org.id, { events: [] }),
      { ...batchOf(org.id, [event('view', item.id)]), organizationId: null },
    ];
    const { ctx: recorded, lines } = recordingLogs(ctx);
    const messages = createMessageBatch(
      'contentos-events',
      malformed.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const execution = createExecutionContext();
    await processBatch(messages, recorded);
    expect((await getQueueResult(messages, execution)).explicitAcks.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(lines.filter((l) => l.level === 'error').map((l) => [l.msg, l.fields.eventId])).toEqual(
      malformed.map((m) => ['dead letter recorded', m.id]),
    );
    for (const m of malformed) {
      expect(await db.select().from(deadLetters).where(eq(deadLetters.eventId, m.id))).toMatchObject([
        { effect: '*', reason: 'malformed', eventType: ENGAGEMENT_BATCH_EVENT, nextAttemptAt: null, resolvedAt: null },
      ]);
    }
    expect(await dailyOf(db, item.id)).toEqual([]);
    expect(await db.select().from(processedEvents).where(eq(processedEvents.eventId, malformed[0]!.id))).toEqual([]);
  });

  it('is wired into the queue: a batch and its redelivery in one message batch are acked and counted once; a malformed one is acked', async () => {
    const { org, item } = await setup();
    const batch = batchOf(org.id, [event('view', item.id), event('like', item.id)]);
    const bad = newEvent(ENGAGEMENT_BATCH_EVENT, org.id, { events: 'not a list' });
    const messages = createMessageBatch(
      'contentos-events',
      [batch, batch, bad].map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
    );
    const execution = createExecutionContext();
    await worker.queue(messages, env, execution);
    const result = await getQueueResult(messages, execution);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1', 'm2']);
    expect(result.retryMessages).toEqual([]);
    expect(await dailyOf(db, item.id)).toEqual([{ day: today(), platform: 'web', ...counts(1, 0, 0, 1) }]);
  });
});
