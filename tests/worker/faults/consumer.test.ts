import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { and, eq, inArray, sum } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { engagementDaily, processedEvents } from '../../../src/db/schema/index.ts';
import { ENGAGEMENT_BATCH_EVENT } from '../../../src/events/engagement.ts';
import type { EventEnvelope } from '../../../src/events/envelope.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { processBatch } from '../../../workers/queue.ts';
import { needsPostgres, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { serviceContext } from '../service-context.ts';
import { createWebhook, receiverUrl } from '../webhooks/fixtures.ts';
import { tenantItem } from '../workflow/fixtures.ts';
import { faultyDatabase } from './fault-database.ts';
import { webhookProblems } from './fixtures.ts';

/**
 * A queue consumer that loses its database in the middle of a batch (issue 14, item 4): whatever was done
 * before the cut is acknowledged or recorded, the rest is retried, and the queue then delivers the whole
 * batch again (at least once: acknowledged messages too). Each statement of the batch is the one cut, in
 * turn, and after each the effects are counted where they land: every content event's webhook arrives
 * once, every effect is in the ledger once, and reader engagement is counted once.
 */

const { db, ctx, useTenant } = useHarness();
const org = useTenant();
let hook = '';

beforeAll(async () => {
  hook = receiverUrl('ok');
  await createWebhook(org.users.org_admin.headers, { url: hook, eventTypes: ['content.published'] });
});

const VIEWS_PER_ITEM = 3;

/** Two published items, an event each, and a batch of reader views of both. */
async function batchOfEvents(): Promise<{ events: EventEnvelope[]; items: string[] }> {
  const items = await Promise.all(
    [1, 2].map(() => tenantItem(db, org, { status: 'published', publishedVersion: 1, publishedAt: new Date() })),
  );
  const occurredAt = new Date().toISOString();
  const published = items.map(
    (item): EventEnvelope => ({
      id: crypto.randomUUID(),
      type: 'content.published',
      organizationId: org.id,
      occurredAt,
      data: { contentId: item.id, version: 1, status: 'published', publishedVersion: 1 },
    }),
  );
  const engagement: EventEnvelope = {
    id: crypto.randomUUID(),
    type: ENGAGEMENT_BATCH_EVENT,
    organizationId: org.id,
    occurredAt,
    data: {
      receivedAt: occurredAt,
      deliveryTokenId: crypto.randomUUID(),
      events: items.flatMap((item) =>
        Array.from({ length: VIEWS_PER_ITEM }, () => ({
          type: 'view',
          contentId: item.id,
          platform: 'web',
          occurredAt,
        })),
      ),
    },
  };
  return { events: [...published, engagement], items: items.map((item) => item.id) };
}

async function deliver(events: EventEnvelope[], on: ServiceContext, attempts: number) {
  const batch = createMessageBatch(
    'contentos-events',
    events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
  const execution = createExecutionContext();
  await processBatch(batch, on);
  return getQueueResult(batch, execution);
}

/** What went wrong with the batch's effects, counted where they land. */
async function effectProblems(events: EventEnvelope[], items: string[]): Promise<string[]> {
  const contentEvents = events.filter((e) => e.type === 'content.published').map((e) => e.id);
  const problems = await webhookProblems(hook, contentEvents);
  const ledger = await db
    .select({ eventId: processedEvents.eventId, consumer: processedEvents.consumer })
    .from(processedEvents)
    .where(
      inArray(
        processedEvents.eventId,
        events.map((e) => e.id),
      ),
    );
  for (const id of contentEvents) {
    const consumers = ledger.filter((row) => row.eventId === id).map((row) => row.consumer);
    if (consumers.sort().join(',') !== 'delivery-cache,webhooks') problems.push(`event ${id}: ledger ${consumers}`);
  }
  const [views] = await db
    .select({ n: sum(engagementDaily.views).mapWith(Number) })
    .from(engagementDaily)
    .where(and(eq(engagementDaily.organizationId, org.id), inArray(engagementDaily.contentId, items)));
  if (views?.n !== VIEWS_PER_ITEM * items.length)
    problems.push(`views counted ${views?.n}, sent ${VIEWS_PER_ITEM * items.length}`);
  return problems;
}

describe('a queue consumer losing its database mid-batch', () => {
  it('cut before each statement of a batch in turn, then the whole batch redelivered: every message acked, every effect once', {
    ...needsPostgres,
    timeout: 300_000,
  }, async () => {
    const recording = await faultyDatabase();
    const quiet = createLogger('error');
    const recorder = serviceContext(recording.bindings, quiet);
    const sample = await batchOfEvents();
    expect((await deliver(sample.events, recorder, 1)).explicitAcks).toHaveLength(sample.events.length);
    await recorder.services.dispose();
    expect(await effectProblems(sample.events, sample.items)).toEqual([]);
    const statements = (await recording.state()).statements.length;

    const problems: string[] = [];
    let injected = 0;
    for (let n = 0; n < statements; n++) {
      const { events, items } = await batchOfEvents();
      const fault = await faultyDatabase({ after: n });
      const cut = serviceContext(fault.bindings, quiet);
      const first = await deliver(events, cut, 1);
      await cut.services.dispose();
      const state = await fault.state();
      if (!state.tripped) continue;
      injected++;
      const label = `cut before statement ${n + 1} (${state.stopped?.slice(0, 50)}…)`;
      if (first.explicitAcks.length + first.retryMessages.length !== events.length)
        problems.push(`${label}: a message neither acked nor retried`);
      // At least once: the queue may deliver acknowledged messages again, so all of them come back.
      const again = await deliver(events, ctx, 2);
      if (again.explicitAcks.length !== events.length)
        problems.push(`${label}: redelivery retried ${again.retryMessages.length}`);
      problems.push(...(await effectProblems(events, items)).map((p) => `${label}: ${p}`));
    }
    score('faults', { tried: injected, failed: problems.length });
    expect(problems).toEqual([]);
    expect(injected).toBeGreaterThan(statements / 2);
  });
});
