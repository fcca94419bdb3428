import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { deadLetters } from '../../../src/db/schema/index.ts';
import type { EventEnvelope } from '../../../src/events/envelope.ts';
import { redriveDeadLetters } from '../../../src/services/dead-letters/redrive-dead-letters.ts';
import { eventRoutes, processBatch } from '../../../workers/queue.ts';
import { cronJobs } from '../../../workers/scheduled.ts';
import { callApp, eventually } from '../helpers.ts';
import { useHarness } from '../harness.ts';
import { scoreThisTest } from '../scorecard.ts';
import { bearer, publishedItem, untilDelivered, useDeliveryTenant } from '../delivery/fixtures.ts';
import { createWebhook, receiverUrl, recorded } from '../webhooks/fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
const app = createApp();

/** KV failing on every call, as during a KV incident. */
const failingKv = new Proxy({} as KVNamespace, {
  get: () => () => Promise.reject(new Error('KV is unavailable')),
});

/** A queue binding that keeps what is sent: the test delivers it itself, so no consumer races it. */
function capturingQueue(): { queue: Queue; sent: EventEnvelope[] } {
  const sent: EventEnvelope[] = [];
  const queue = {
    send: async (body: EventEnvelope) => void sent.push(body),
    sendBatch: async (messages: Array<{ body: EventEnvelope }>) => void sent.push(...messages.map((m) => m.body)),
  } as unknown as Queue;
  return { queue, sent };
}

/** As wrangler.toml says: the first delivery and max_retries = 5 more, then the DLQ. */
const DELIVERIES = 6;

async function deliver(body: EventEnvelope, queue: string, attempts: number, ctx = harness.ctx) {
  const batch = createMessageBatch(queue, [{ id: `m-${attempts}`, timestamp: new Date(), attempts, body }]);
  const execution = createExecutionContext();
  await processBatch(batch, ctx);
  return getQueueResult(batch, execution);
}

describe('an event the queue gives up on', () => {
  it('KV failing past every queue retry, then recovering: the unpublished item leaves the edge with no new write, and its webhook arrives', async () => {
    scoreThisTest('faults');
    const hookUrl = receiverUrl('ok');
    await createWebhook(org.users.org_admin.headers, { url: hookUrl, eventTypes: ['content.unpublished'] });
    const item = await publishedItem(db, org, { platforms: ['lost'] });
    const itemPath = `${org.slug}/content/${item.id}`;
    await untilDelivered(itemPath, bearer(org.token), (s) => s === 200);

    // Unpublished through the API; its event is captured on its way to the queue, and this test plays the queue.
    const { queue, sent } = capturingQueue();
    const unpublish = await callApp(
      app,
      `/api/v1/content/${item.id}/unpublish`,
      { method: 'POST', headers: org.users.editor.headers },
      { EVENTS_QUEUE: queue } as Partial<Bindings>,
    );
    expect(unpublish.status).toBe(200);
    const event = sent.find((e) => e.type === 'content.unpublished' && e.data.contentId === item.id);
    expect(event).toBeDefined();

    // Every delivery fails on KV: the message is retried each time, and the queue then moves it to the DLQ.
    const kvDown = harness.context({ DELIVERY_CACHE: failingKv });
    for (let attempts = 1; attempts <= DELIVERIES; attempts++) {
      const result = await deliver(event!, 'contentos-events', attempts, kvDown);
      expect(result.retryMessages.map((m) => m.msgId)).toEqual([`m-${attempts}`]);
    }
    // The webhook fan-out does not depend on the cache refresh: it went out on the first delivery, once.
    await eventually(async () => ((await recorded(hookUrl)).length > 0 ? true : undefined), 10_000);
    // Meanwhile the edge still serves the retracted item.
    await untilDelivered(itemPath, bearer(org.token), (s) => s === 200);

    expect((await deliver(event!, 'contentos-events-dlq', 1)).explicitAcks).toEqual(['m-1']);
    const [parked, ...others] = await db.select().from(deadLetters).where(eq(deadLetters.eventId, event!.id));
    expect(others).toEqual([]);
    expect(parked).toMatchObject({
      effect: 'delivery-cache',
      reason: 'effect_failed',
      eventType: 'content.unpublished',
      organizationId: org.id,
      resolvedAt: null,
    });

    // The cron's re-drive while KV is still down: the row records the error and backs off.
    const redrive = (ctx: typeof harness.ctx, now: Date) =>
      redriveDeadLetters({ ctx, input: { now, routes: eventRoutes, limit: 10, ids: [parked!.id] } });
    expect(await redrive(kvDown, new Date(Date.now() + 61_000))).toEqual({ resolved: 0, failed: 1 });
    const [backedOff] = await db.select().from(deadLetters).where(eq(deadLetters.id, parked!.id));
    expect(backedOff).toMatchObject({ attempts: 1, lastError: 'delivery-cache: KV is unavailable', resolvedAt: null });
    expect(backedOff!.nextAttemptAt!.getTime() - backedOff!.lastFailedAt.getTime()).toBe(120_000);

    // KV is back: the next due re-drive writes what Postgres says, and nobody touched the item in between.
    expect(await redrive(harness.ctx, new Date(Date.now() + 10 * 60_000))).toEqual({ resolved: 1, failed: 0 });
    expect((await db.select().from(deadLetters).where(eq(deadLetters.id, parked!.id)))[0]).toMatchObject({
      attempts: 2,
      resolution: 'redriven',
      nextAttemptAt: null,
    });
    await untilDelivered(itemPath, bearer(org.token), (s) => s === 404);
    await untilDelivered<{ data: { id: string }[] }>(
      `${org.slug}/content?platform=lost`,
      bearer(org.token),
      (s, page) => s === 200 && !page?.data.some((i) => i.id === item.id),
    );
    expect(await recorded(hookUrl)).toHaveLength(1);
  });

  it('the every-minute cron runs the re-drive', () => {
    expect(cronJobs.map((job) => job.name)).toContain('dead-letter-redrive');
  });
});
