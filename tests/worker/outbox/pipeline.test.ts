import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, contentVersions, outbox } from '../../../src/db/schema/index.ts';
import type { EventEnvelope } from '../../../src/events/envelope.ts';
import { contentEvents } from '../../../src/events/content.ts';
import { on, once } from '../../../src/services/events/effects.ts';
import { relayOutbox } from '../../../src/services/outbox/relay-outbox.ts';
import { createServices } from '../../../src/services/container.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { processBatch } from '../../../workers/queue.ts';
import { authHeaders, ORG_ID } from '../auth.ts';
import { call, eventually } from '../helpers.ts';
import { useHarness } from '../harness.ts';

const { db, ctx } = useHarness();

async function createItem(extra: Record<string, string> = {}) {
  const res = await call('/api/v1/content', {
    method: 'POST',
    headers: { ...(await authHeaders('org_admin', 'demo', extra)), 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'education',
      title: `Outbox ${crypto.randomUUID()}`,
      body: 'Text.',
      platforms: ['web'],
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; version: number };
}

const eventsOf = (contentId: string) =>
  db.select().from(outbox).where(sql`${outbox.payload}->>'contentId' = ${contentId}`);

describe('transactional outbox', () => {
  it('commits a change with exactly one version, one audit row and one event, and relays the event after commit', async () => {
    const item = await createItem();
    const versions = await db.select().from(contentVersions).where(eq(contentVersions.contentId, item.id));
    expect(versions.map((v) => [v.version, v.action])).toEqual([[1, 'content.create']]);
    expect(versions[0]!.snapshot).toMatchObject({ status: 'draft', version: 1 });
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, item.id))).toHaveLength(1);
    const [event] = await eventsOf(item.id);
    expect(event).toMatchObject({
      type: 'content.created',
      organizationId: ORG_ID.demo,
      payload: { contentId: item.id, version: 1, status: 'draft' },
    });
    // Relayed through waitUntil right after the response: no cron tick needed.
    await eventually(async () =>
      (
        await db
          .select()
          .from(outbox)
          .where(and(eq(outbox.id, event!.id)))
      )[0]?.sentAt
        ? true
        : undefined,
    );
  });

  it('leaves no event, version or audit row behind a change that fails', async () => {
    const item = await createItem();
    const res = await call(`/api/v1/content/${item.id}`, {
      method: 'PUT',
      headers: { ...(await authHeaders('org_admin')), 'content-type': 'application/json', 'if-match': '"99"' },
      body: JSON.stringify({ title: 'Never written' }),
    });
    expect(res.status).toBe(412);
    expect(await eventsOf(item.id)).toHaveLength(1);
    expect(await db.select().from(contentVersions).where(eq(contentVersions.contentId, item.id))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(eq(auditLog.entityId, item.id))).toHaveLength(1);
  });

  it('keeps events whose send failed, and the next relay sends them', async () => {
    const id = crypto.randomUUID();
    await db.insert(outbox).values({
      id,
      organizationId: ORG_ID.demo,
      type: 'content.updated',
      payload: { contentId: crypto.randomUUID(), version: 2 },
    });
    // A queue binding that refuses every send: what an outage of Queues looks like to the relay.
    const bindings = {
      ...env,
      EVENTS_QUEUE: {
        send: () => Promise.reject(new Error('queue down')),
        sendBatch: () => Promise.reject(new Error('queue down')),
      } as unknown as Queue,
    };
    const broken = {
      services: createServices(bindings, loadConfig(bindings), createLogger('error')),
      logger: createLogger('error'),
      requestId: 'test',
    };
    expect(await relayOutbox({ ctx: broken, input: { ids: [id] } })).toEqual({ sent: 0, failed: 1 });
    await broken.services.dispose();
    const [kept] = await db.select().from(outbox).where(eq(outbox.id, id));
    expect(kept).toMatchObject({ sentAt: null, attempts: 1, lastError: 'queue down' });
    expect(await relayOutbox({ ctx, input: { ids: [id] } })).toEqual({ sent: 1, failed: 0 });
    expect((await db.select().from(outbox).where(eq(outbox.id, id)))[0]?.sentAt).toBeInstanceOf(Date);
  });

  it('never sends a row twice when relays overlap (FOR UPDATE SKIP LOCKED)', async () => {
    const ids = Array.from({ length: 20 }, () => crypto.randomUUID());
    await db.insert(outbox).values(
      ids.map((id) => ({
        id,
        organizationId: ORG_ID.demo,
        type: 'content.updated',
        payload: { contentId: id, version: 1 },
      })),
    );
    const sent: string[] = [];
    const counting = {
      ...env,
      EVENTS_QUEUE: {
        send: async () => {},
        sendBatch: async (batch: Array<{ body: EventEnvelope }>) => void sent.push(...batch.map((m) => m.body.id)),
      } as unknown as Queue,
    };
    const relays = Array.from({ length: 4 }, () => ({
      services: createServices(counting, loadConfig(counting), createLogger('error')),
      logger: createLogger('error'),
      requestId: 'r',
    }));
    const results = await Promise.all(relays.map((r) => relayOutbox({ ctx: r, input: { ids } })));
    await Promise.all(relays.map((r) => r.services.dispose()));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(20);
    expect(sent.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
    expect(
      await db
        .select()
        .from(outbox)
        .where(and(inArray(outbox.id, ids), isNull(outbox.sentAt))),
    ).toEqual([]);
  });
});

describe('idempotent consumer', () => {
  function event(): EventEnvelope {
    return {
      id: crypto.randomUUID(),
      type: 'content.updated',
      organizationId: ORG_ID.demo,
      occurredAt: new Date().toISOString(),
      data: { contentId: crypto.randomUUID(), version: 2 },
    };
  }

  it('runs each effect once per event, across duplicate deliveries and a batch where one message fails', async () => {
    const effects: string[] = [];
    let failOnce = true;
    const a = event();
    const b = event();
    const routes = {
      'content.updated': on(contentEvents['content.updated'], {
        [`test-${crypto.randomUUID()}`]: once(async (e) => {
          if (e.id === b.id && failOnce) {
            failOnce = false;
            throw new Error('downstream hiccup');
          }
          effects.push(e.id);
        }),
      }),
    };
    const deliver = async (events: EventEnvelope[]) => {
      const batch = createMessageBatch(
        'contentos-events',
        events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })),
      );
      const execution = createExecutionContext();
      await processBatch(batch, ctx, routes);
      return getQueueResult(batch, execution);
    };
    const first = await deliver([a, b]);
    expect(first.explicitAcks).toEqual(['m0']);
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(['m1']);
    // The queue redelivers b (retry) and, at-least-once, a as well.
    const second = await deliver([a, b]);
    expect(second.explicitAcks.sort()).toEqual(['m0', 'm1']);
    await deliver([b]);
    expect(effects.sort()).toEqual([a.id, b.id].sort());
  });
});
