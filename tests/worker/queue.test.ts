import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import worker from '../../src/index.ts';
import { systemKey } from '../../src/cache/kv-keys.ts';
import { deadLetters, processedEvents } from '../../src/db/schema/index.ts';
import { eventCatalogue } from '../../src/events/catalogue.ts';
import { contentEventTypes } from '../../src/events/content.ts';
import { defineEvent } from '../../src/events/define.ts';
import { newEvent } from '../../src/events/envelope.ts';
import { HEARTBEAT_EVENT } from '../../src/events/system.ts';
import { on, once, repeatable, type RouteTable } from '../../src/services/events/effects.ts';
import { eventRoutes, processBatch, retryDelaySeconds } from '../../workers/queue.ts';
import { eventually } from './helpers.ts';
import { useHarness } from './harness.ts';
import { serviceContext } from './service-context.ts';

const { ctx, db } = useHarness();

const queueRecord = z.object({ eventId: z.string(), lagMs: z.number() });
const readQueueRecord = async () => {
  const raw = await env.DELIVERY_CACHE.get(systemKey('heartbeat', 'queue'), 'json');
  return raw === null ? undefined : queueRecord.parse(raw);
};

function batchOf(bodies: unknown[], queue = 'contentos-events', attempts = 1) {
  return createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts, body })),
  );
}

async function consume(batch: MessageBatch<unknown>, routes?: RouteTable) {
  const execution = createExecutionContext();
  await processBatch(batch, ctx, routes);
  return getQueueResult(batch, execution);
}

const rowsOf = (eventId: string) =>
  db.select().from(deadLetters).where(eq(deadLetters.eventId, eventId)).orderBy(deadLetters.effect);

/** A test event family of its own: `{ n }` data; a data schema that throws (not fails) for n = -1. */
const probe = defineEvent(
  'test.probe',
  'platform',
  z.object({
    n: z.number().refine((n) => {
      if (n === -1) throw new Error('the parser itself blew up');
      return true;
    }),
  }),
);

describe('queue consumer', () => {
  it('receives a message sent through the real producer binding', async () => {
    const event = newEvent(HEARTBEAT_EVENT, null, { cron: 'test', scheduledTime: new Date().toISOString() });
    await env.EVENTS_QUEUE.send(event);
    const record = await eventually(async () => {
      const r = await readQueueRecord();
      return r?.eventId === event.id ? r : undefined;
    }, 10_000);
    expect(record.lagMs).toBeGreaterThanOrEqual(0);
  });

  it('acks a handled event through the exported queue handler', async () => {
    const event = newEvent(HEARTBEAT_EVENT, null, {});
    const batch = batchOf([event]);
    const execution = createExecutionContext();
    await worker.queue(batch, env, execution);
    const result = await getQueueResult(batch, execution);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    expect((await readQueueRecord())?.eventId).toBe(event.id);
  });

  it('routes every type of the event catalogue, and content events to the edge cache and the webhooks', () => {
    expect(Object.keys(eventRoutes).sort()).toEqual(Object.keys(eventCatalogue).sort());
    for (const type of contentEventTypes) {
      expect(Object.keys(eventRoutes[type].effects).sort()).toEqual(['delivery-cache', 'webhooks']);
    }
  });

  it('dead-letters malformed messages and unknown types, and acks them only once they are parked', async () => {
    const noEnvelope = { not: 'an envelope' };
    const badData = newEvent('content.published', crypto.randomUUID(), { contentId: 'not-a-uuid', version: 1 });
    const noTenant = newEvent('delivery_token.revoked', null, { deliveryTokenId: crypto.randomUUID() });
    const unknown = newEvent('content.future_type', crypto.randomUUID(), {});
    const unreadable = `unreadable-${crypto.randomUUID()}`;
    const batch = createMessageBatch(
      'contentos-events',
      [noEnvelope, badData, noTenant, unknown].map((body, i) => ({
        id: i === 0 ? unreadable : `m${i}`,
        timestamp: new Date(),
        attempts: 1,
        body,
      })),
    );
    const result = await consume(batch);
    expect(result.explicitAcks.sort()).toEqual(['m1', 'm2', 'm3', unreadable]);
    expect(result.retryMessages).toEqual([]);

    expect(await rowsOf(`message:${unreadable}`)).toMatchObject([
      { effect: '*', reason: 'malformed', eventType: null, envelope: noEnvelope, nextAttemptAt: null },
    ]);
    const [bad] = await rowsOf(badData.id);
    expect(bad).toMatchObject({
      effect: '*',
      reason: 'malformed',
      eventType: 'content.published',
      nextAttemptAt: null,
    });
    expect(bad!.lastError).toContain('data.contentId');
    expect(await rowsOf(noTenant.id)).toMatchObject([{ reason: 'malformed', organizationId: null }]);
    // A newer producer's type during a deploy: parked and re-driven until a consumer knows it.
    const [future] = await rowsOf(unknown.id);
    expect(future).toMatchObject({ effect: '*', reason: 'unknown_type', organizationId: unknown.organizationId });
    expect(future!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now());
  });

  it('retries (never acks) a message it cannot park, e.g. with the database down', async () => {
    const batch = batchOf([{ not: 'an envelope' }]);
    const execution = createExecutionContext();
    const down = { DATABASE_URL: `postgres://postgres@127.0.0.1:1/down-${crypto.randomUUID().slice(0, 8)}` };
    // Not the harness's context: that one fails the file on a pool error, which is the point here.
    const broken = serviceContext(down);
    await processBatch(batch, broken);
    await broken.services.dispose();
    const result = await getQueueResult(batch, execution);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m0']);
  });

  it('one message throwing never blocks the rest of its batch: of three, the middle one is retried', async () => {
    const seen: number[] = [];
    const routes: RouteTable = {
      [probe.type]: on(probe, { record: repeatable(async (e) => void seen.push(e.data.n)) }),
    };
    const batch = batchOf([
      newEvent(probe.type, null, { n: 1 }),
      newEvent(probe.type, null, { n: -1 }),
      newEvent(probe.type, null, { n: 3 }),
    ]);
    const retry = vi.spyOn(batch.messages[1]!, 'retry');
    const result = await consume(batch, routes);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm2']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['m1']);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(1) });
    expect(seen).toEqual([1, 3]);
  });

  it('runs every effect of an event even when one fails, retries the message, and then runs only the one that failed', async () => {
    const ran: string[] = [];
    let cacheDown = true;
    const name = (effect: string) => `test-${effect}-${crypto.randomUUID().slice(0, 8)}`;
    const [cache, hooks] = [name('cache'), name('hooks')];
    const routes: RouteTable = {
      [probe.type]: on(probe, {
        [cache]: once(async () => {
          ran.push('cache');
          if (cacheDown) throw new Error('KV is unavailable');
        }),
        [hooks]: once(async () => void ran.push('hooks')),
      }),
    };
    const event = newEvent(probe.type, null, { n: 2 });
    const first = await consume(batchOf([event], 'contentos-events', 3), routes);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(['m0']);
    expect(ran.sort()).toEqual(['cache', 'hooks']);
    const done = await db
      .select({ consumer: processedEvents.consumer })
      .from(processedEvents)
      .where(eq(processedEvents.eventId, event.id));
    expect(done.map((r) => r.consumer)).toEqual([hooks]);

    cacheDown = false;
    ran.length = 0;
    const second = await consume(batchOf([event], 'contentos-events', 4), routes);
    expect(second.explicitAcks).toEqual(['m0']);
    expect(ran).toEqual(['cache']);
  });

  it('retries a failing effect with backoff and acks the rest of the batch', async () => {
    const routes: RouteTable = {
      [probe.type]: on(probe, {
        flaky: repeatable(async (e) => {
          if (e.data.n === 0) throw new Error('downstream is down');
        }),
      }),
    };
    const batch = createMessageBatch('contentos-events', [
      { id: 'fail', timestamp: new Date(), attempts: 3, body: newEvent(probe.type, null, { n: 0 }) },
      { id: 'ok', timestamp: new Date(), attempts: 1, body: newEvent(probe.type, null, { n: 1 }) },
    ]);
    // The test harness records which messages were retried but not their delay, so the call is observed too.
    const retry = vi.spyOn(batch.messages[0]!, 'retry');
    const result = await consume(batch, routes);
    expect(result.explicitAcks).toEqual(['ok']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['fail']);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
  });

  it('backs off exponentially, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(20)).toBe(900);
  });

  it('on the DLQ, parks each effect not yet done as a dead letter without running anything, then acks', async () => {
    let ran = false;
    const routes: RouteTable = {
      [probe.type]: on(probe, {
        'test-done': once(async () => {
          ran = true;
        }),
        'test-pending': once(async () => {
          ran = true;
        }),
      }),
    };
    const event = newEvent(probe.type, null, { n: 5 });
    await db.insert(processedEvents).values({ eventId: event.id, consumer: 'test-done' });
    const result = await consume(batchOf([event, event], 'contentos-events-dlq'), routes);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(ran).toBe(false);
    // The same dead letter delivered twice is one row.
    expect(await rowsOf(event.id)).toMatchObject([
      { effect: 'test-pending', reason: 'effect_failed', eventType: probe.type, attempts: 0, resolvedAt: null },
    ]);
    const [row] = await rowsOf(event.id);
    expect(row!.envelope).toEqual(event);
    expect(row!.nextAttemptAt!.getTime() - row!.lastFailedAt.getTime()).toBe(60_000);

    // Everything done already (the last try succeeded but its ack was lost): nothing to park.
    const finished = newEvent(probe.type, null, { n: 6 });
    await db.insert(processedEvents).values([
      { eventId: finished.id, consumer: 'test-done' },
      { eventId: finished.id, consumer: 'test-pending' },
    ]);
    expect((await consume(batchOf([finished], 'contentos-events-dlq'), routes)).explicitAcks).toEqual(['m0']);
    expect(
      await db
        .select()
        .from(deadLetters)
        .where(and(eq(deadLetters.eventId, finished.id))),
    ).toEqual([]);
  });
});
