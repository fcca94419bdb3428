import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import type { EventEnvelope } from '../../../src/events/envelope.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { expireEdgeMemos } from '../../../src/services/delivery/edge-store.ts';
import { processBatch } from '../../../workers/queue.ts';
import { bearer, deliveryGet, publishedItem, untilDelivered, useDeliveryTenant } from '../delivery/fixtures.ts';
import { callApp } from '../helpers.ts';
import { useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { serviceContext } from '../service-context.ts';
import { createWebhook, receiverUrl } from '../webhooks/fixtures.ts';
import { webhookProblems } from './fixtures.ts';

/**
 * KV failing in the middle of the consumer's refresh (issue 14, item 4). The dangerous event is an
 * unpublish: lost, it would leave retracted content at the edge. KV fails from its n-th call on, for each n
 * the refresh makes, so the item entry may be written while the lists are not (a refresh half done). The
 * message is retried; on redelivery the refresh is done whole: the item is gone from the edge and from its
 * list, and the webhook, which does not depend on KV, went out once. (Reads with KV failing fall back to
 * PostgreSQL: tests/worker/delivery/resilience.test.ts.)
 */

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
const app = createApp();
let hook = '';

beforeAll(async () => {
  hook = receiverUrl('ok');
  await createWebhook(org.users.org_admin.headers, { url: hook, eventTypes: ['content.unpublished'] });
});

/** The delivery cache binding, failing from its `after`-th call on (every method); counts calls either way. */
function kvFailingAfter(after: number): { kv: KVNamespace; calls: () => number } {
  let calls = 0;
  const base = env.DELIVERY_CACHE;
  const kv = new Proxy(base, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (calls++ >= after) return Promise.reject(new Error('KV is unavailable'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { kv, calls: () => calls };
}

/** A queue binding that keeps what is sent: the test delivers it itself, so no consumer races it. */
function capturingQueue(): { queue: Queue; sent: EventEnvelope[] } {
  const sent: EventEnvelope[] = [];
  const queue = {
    send: async (body: EventEnvelope) => void sent.push(body),
    sendBatch: async (messages: Array<{ body: EventEnvelope }>) => void sent.push(...messages.map((m) => m.body)),
  } as unknown as Queue;
  return { queue, sent };
}

async function deliver(event: EventEnvelope, on: ServiceContext, attempts: number) {
  const batch = createMessageBatch('contentos-events', [
    { id: `m${attempts}`, timestamp: new Date(), attempts, body: event },
  ]);
  const execution = createExecutionContext();
  await processBatch(batch, on);
  return getQueueResult(batch, execution);
}

/** A published item, served at the edge, then unpublished through the API with its event held back. */
async function unpublishedAtTheEdge(): Promise<{ id: string; event: EventEnvelope }> {
  const item = await publishedItem(db, org, { platforms: ['kv-fault'] });
  await untilDelivered(`${org.slug}/content/${item.id}`, bearer(org.token), (s) => s === 200);
  const { queue, sent } = capturingQueue();
  const res = await callApp(
    app,
    `/api/v1/content/${item.id}/unpublish`,
    { method: 'POST', headers: org.users.editor.headers },
    { EVENTS_QUEUE: queue } as Partial<Bindings>,
  );
  expect(res.status, await res.clone().text()).toBe(200);
  const event = sent.find((e) => e.type === 'content.unpublished' && e.data.contentId === item.id);
  if (!event) throw new Error('no content.unpublished event was sent');
  return { id: item.id, event };
}

/** Whether the edge has let go of the item: 404 for it, and absent from its list. */
async function goneFromTheEdge(id: string): Promise<string | undefined> {
  expireEdgeMemos();
  try {
    await untilDelivered(`${org.slug}/content/${id}`, bearer(org.token), (s) => s === 404, 5_000);
  } catch {
    return 'the retracted item is still served';
  }
  const page = await deliveryGet(`${org.slug}/content?platform=kv-fault`, bearer(org.token));
  const listed = ((await page.json()) as { data: { id: string }[] }).data.some((i) => i.id === id);
  return listed ? 'the retracted item is still listed' : undefined;
}

describe('KV failing in the middle of the consumer’s refresh', () => {
  it('from each of its calls in turn: the unpublish is retried, then done whole on redelivery; its webhook went out once', {
    timeout: 300_000,
  }, async () => {
    const quiet = createLogger('error');
    const sample = await unpublishedAtTheEdge();
    const counting = kvFailingAfter(Number.POSITIVE_INFINITY);
    const recorder = serviceContext({ DELIVERY_CACHE: counting.kv }, quiet);
    expect((await deliver(sample.event, recorder, 1)).explicitAcks).toEqual(['m1']);
    await recorder.services.dispose();
    const calls = counting.calls();
    expect(calls).toBeGreaterThan(2);

    const problems: string[] = [];
    for (let n = 0; n < calls; n++) {
      const { id, event } = await unpublishedAtTheEdge();
      const failing = kvFailingAfter(n);
      const broken = serviceContext({ DELIVERY_CACHE: failing.kv }, quiet);
      const first = await deliver(event, broken, 1);
      await broken.services.dispose();
      const label = `KV failing from call ${n + 1} of ${calls}`;
      if (first.retryMessages.length !== 1) problems.push(`${label}: the message was not retried`);
      const again = await deliver(event, harness.ctx, 2);
      if (again.explicitAcks.length !== 1) problems.push(`${label}: the redelivery was not acknowledged`);
      const edge = await goneFromTheEdge(id);
      if (edge) problems.push(`${label}: ${edge}`);
      problems.push(...(await webhookProblems(hook, [event.id])).map((p) => `${label}: ${p}`));
    }
    score('faults', { tried: calls, failed: problems.length });
    expect(problems).toEqual([]);
  });
});
