import { env } from 'cloudflare:test';
import { and, eq, sum } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { engagementDaily, organizations } from '../../../src/db/schema/index.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { call, callApp, eventually, readProblem } from '../helpers.ts';
import { bearer, publishedItem, useDeliveryTenant } from './fixtures.ts';
import { consumed, useHarness } from '../harness.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);

const event = (contentId: string, overrides: Record<string, unknown> = {}) => ({
  type: 'view',
  contentId,
  platform: 'web',
  occurredAt: new Date().toISOString(),
  ...overrides,
});

const send = (body: unknown, headers: Record<string, string> = bearer(org.token), slug = org.slug) =>
  call(`/delivery/v1/${slug}/events`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Accepted {
  batchId: string;
  accepted: number;
  rejected: { index: number; errors: { path: string; code: string }[] }[];
}

const viewsOf = async (contentId: string) => {
  const [row] = await db
    .select({ views: sum(engagementDaily.views).mapWith(Number) })
    .from(engagementDaily)
    .where(and(eq(engagementDaily.contentId, contentId), eq(engagementDaily.organizationId, org.id)));
  return row?.views ?? 0;
};

let itemId = '';
beforeAll(async () => {
  itemId = (await publishedItem(db, org)).id;
});

describe('POST /delivery/v1/{org}/events', () => {
  it('202: the batch is on the queue, and the consumer counts it', async () => {
    const res = await send({
      events: [event(itemId), event(itemId, { type: 'click' }), event(itemId, { platform: 'app' })],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body).toEqual({ batchId: expect.stringMatching(/^[0-9a-f-]{36}$/), accepted: 3, rejected: [] });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(await eventually(async () => ((await viewsOf(itemId)) >= 2 ? viewsOf(itemId) : undefined), 10_000)).toBe(2);
  });

  it('keeps the good events of a batch with bad ones, naming each bad one', async () => {
    const res = await send({
      events: [
        event(itemId),
        event('not-a-uuid'),
        event(itemId, { type: 'purchase' }),
        event(itemId, { occurredAt: new Date(Date.now() + 3_600_000).toISOString() }),
        event(itemId, { occurredAt: '2020-01-01T00:00:00Z' }),
        event(itemId, { extra: true }),
        'not an object',
        event(itemId, { type: 'like' }),
      ],
    });
    expect(res.status).toBe(202);
    const body = (await res.json()) as Accepted;
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(body.rejected[0]!.errors[0]!.path).toBe('body.events.1.contentId');
    expect(body.rejected[2]!.errors[0]).toMatchObject({
      path: 'body.events.3.occurredAt',
      code: 'occurred_at_out_of_window',
    });
  });

  it('422 when no event is valid, 400 for an empty or oversized batch or a body that is not a batch', async () => {
    const none = await send({ events: [event('x'), { type: 'view' }] });
    expect(none.status).toBe(422);
    const problem = await readProblem(none);
    expect(problem.code).toBe('no_valid_events');
    expect(problem.errors.map((e) => e.path)).toContain('body.events.0.contentId');
    for (const body of [
      { events: [] },
      { events: Array.from({ length: 101 }, () => event(itemId)) },
      [event(itemId)],
      { events: [event(itemId)], extra: 1 },
    ]) {
      const res = await send(body);
      expect(res.status).toBe(400);
      expect((await readProblem(res)).code).toBe('validation_failed');
    }
    const malformed = await call(`/delivery/v1/${org.slug}/events`, {
      method: 'POST',
      headers: { ...bearer(org.token), 'content-type': 'application/json' },
      body: '{"events": [',
    });
    expect(malformed.status).toBe(400);
  });

  it("needs a delivery token of this organization: none, management credentials → 401; another organization's token → 404", async () => {
    expect((await send({ events: [event(itemId)] }, {})).status).toBe(401);
    expect((await send({ events: [event(itemId)] }, org.users.org_admin.headers)).status).toBe(401);
    const globex = await createToken({}, { org: 'globex' });
    const foreign = await send({ events: [event(itemId)] }, bearer(globex.secret));
    expect(foreign.status).toBe(404);
    // Public access opens reading, not writing: events still need a token.
    await db.update(organizations).set({ deliveryPublic: true }).where(eq(organizations.id, org.id));
    await env.DELIVERY_CACHE.delete(deliveryKeys.organizationBySlug(org.slug));
    expect((await send({ events: [event(itemId)] }, {})).status).toBe(401);
    await db.update(organizations).set({ deliveryPublic: false }).where(eq(organizations.id, org.id));
    await env.DELIVERY_CACHE.delete(deliveryKeys.organizationBySlug(org.slug));
  });

  it('a retried POST with the same Idempotency-Key is the same batch, counted once', async () => {
    const item = await publishedItem(db, org);
    const key = crypto.randomUUID();
    const headers = { ...bearer(org.token), 'idempotency-key': key };
    const [first, second] = [
      await send({ events: [event(item.id)] }, headers),
      await send({ events: [event(item.id)] }, headers),
    ];
    const [a, b] = [(await first.json()) as Accepted, (await second.json()) as Accepted];
    expect(a.batchId).toBe(b.batchId);
    const other = await send(
      { events: [event(item.id)] },
      { ...bearer(org.token), 'idempotency-key': crypto.randomUUID() },
    );
    expect(other.status).toBe(202);
    const c = (await other.json()) as Accepted;
    // Once the consumer is done with both deliveries of the retried batch and with the other one, nothing
    // more will be counted: a double count would be there now.
    await consumed((e) => e.id === a.batchId, 2);
    await consumed((e) => e.id === c.batchId);
    expect(await viewsOf(item.id)).toBe(2);
  });

  it('does not touch PostgreSQL: with the database unreachable, a batch is still accepted (202)', async () => {
    // The edge knows the organization and the token (KV filled by earlier reads; re-read until it is).
    const inKv = async (key: string) => (await env.DELIVERY_CACHE.get(key)) !== null;
    await eventually(
      async () => {
        expect((await send({ events: [event(itemId)] })).status).toBe(202);
        return (await inKv(deliveryKeys.tokenByHash(await hashApiKeySecret(org.token)))) &&
          (await inKv(deliveryKeys.organizationBySlug(org.slug)))
          ? true
          : undefined;
      },
      10_000,
      250,
    );
    const res = await callApp(
      createApp(),
      `/delivery/v1/${org.slug}/events`,
      {
        method: 'POST',
        headers: { ...bearer(org.token), 'content-type': 'application/json' },
        body: JSON.stringify({ events: [event(itemId)] }),
      },
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/down' },
    );
    expect(res.status).toBe(202);
  });
});
