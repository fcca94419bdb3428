import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import worker from '../../src/index.ts';
import { systemKey } from '../../src/cache/kv-keys.ts';
import { newEvent } from '../../src/events/envelope.ts';
import { HEARTBEAT_EVENT } from '../../src/services/system/heartbeat.ts';
import { createBackgroundContext } from '../../workers/background-context.ts';
import { processBatch, retryDelaySeconds, type EventHandlers } from '../../workers/queue.ts';
import { eventually } from './helpers.ts';

const queueRecord = z.object({ eventId: z.string(), lagMs: z.number() });
const readQueueRecord = async () => {
  const raw = await env.DELIVERY_CACHE.get(systemKey('heartbeat', 'queue'), 'json');
  return raw === null ? undefined : queueRecord.parse(raw);
};

function batchOf(bodies: unknown[], queue = 'contentos-events') {
  return createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
  );
}

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
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['m0']);
    expect(result.retryMessages).toEqual([]);
    expect((await readQueueRecord())?.eventId).toBe(event.id);
  });

  it('acks malformed envelopes and unknown types instead of retrying them forever', async () => {
    const batch = batchOf([{ not: 'an envelope' }, newEvent('content.future_type', crypto.randomUUID(), {})]);
    const ctx = createExecutionContext();
    await processBatch(batch, createBackgroundContext(env, {}), {});
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual(['m0', 'm1']);
    expect(result.retryMessages).toEqual([]);
  });

  it('retries a failing handler with backoff and acks the rest of the batch', async () => {
    const handlers: EventHandlers = {
      'test.fails': async () => {
        throw new Error('downstream is down');
      },
      'test.works': async () => {},
    };
    const batch = createMessageBatch('contentos-events', [
      { id: 'fail', timestamp: new Date(), attempts: 3, body: newEvent('test.fails', null, {}) },
      { id: 'ok', timestamp: new Date(), attempts: 1, body: newEvent('test.works', null, {}) },
    ]);
    // The test harness records which messages were retried but not their delay, so the call is observed too.
    const retry = vi.spyOn(batch.messages[0]!, 'retry');
    const ctx = createExecutionContext();
    await processBatch(batch, createBackgroundContext(env, {}), handlers);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(['ok']);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['fail']);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
  });

  it('backs off exponentially, capped at 15 minutes', () => {
    expect([1, 2, 3, 4].map(retryDelaySeconds)).toEqual([5, 10, 20, 40]);
    expect(retryDelaySeconds(20)).toBe(900);
  });

  it('acks dead letters (after logging them) without running handlers', async () => {
    let ran = false;
    const batch = batchOf([newEvent('test.any', null, {})], 'contentos-events-dlq');
    const ctx = createExecutionContext();
    await processBatch(batch, createBackgroundContext(env, {}), {
      'test.any': async () => {
        ran = true;
      },
    });
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m0']);
    expect(ran).toBe(false);
  });
});
