import { and, eq, sum } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { ENGAGEMENT_BATCH_EVENT } from '../../../src/events/engagement.ts';
import { engagementDaily } from '../../../src/db/schema/index.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';
import { callApp, readProblem } from '../helpers.ts';
import { consumed, useHarness } from '../harness.ts';
import { clearOfWindowEdge, randomAddress } from '../rate-limit/fixtures.ts';
import { bearer, publishedItem, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
let itemId = '';
beforeAll(async () => {
  itemId = (await publishedItem(db, org)).id;
});

const views = (n: number, contentId = itemId) =>
  Array.from({ length: n }, () => ({ type: 'view', contentId, platform: 'web', occurredAt: new Date().toISOString() }));

/** POST n view events from `address` with `token`, through an app configured with `caps`. */
const send = (n: number, address: string, caps: Partial<Bindings>, token = org.token, contentId = itemId) =>
  callApp(
    createApp(),
    `/delivery/v1/${org.slug}/events`,
    {
      method: 'POST',
      headers: { ...bearer(token), 'content-type': 'application/json', 'cf-connecting-ip': address },
      body: JSON.stringify({ events: views(n, contentId) }),
    },
    caps,
  );

async function expectCapped(res: Response, cap: string): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('ratelimit-policy')).toContain(`"${cap}";`);
  const problem = await readProblem(res);
  expect(problem.code).toBe('rate_limited');
  expect(problem.detail).toContain(cap);
}

const viewsOf = async (contentId: string) => {
  const [row] = await db
    .select({ views: sum(engagementDaily.views).mapWith(Number) })
    .from(engagementDaily)
    .where(and(eq(engagementDaily.contentId, contentId), eq(engagementDaily.organizationId, org.id)));
  return row?.views ?? 0;
};

const batchesOf = (contentId: string) => (e: { type: string; data: unknown }) =>
  e.type === ENGAGEMENT_BATCH_EVENT && JSON.stringify(e.data).includes(contentId);

describe('engagement caps (POST /delivery/v1/{org}/events)', () => {
  it('per address and minute: a batch that does not fit is refused whole and never counted', async () => {
    const item = await publishedItem(db, org);
    const caps = { ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE: '5' };
    await clearOfWindowEdge();
    const address = randomAddress();
    const first = await send(3, address, caps, org.token, item.id);
    expect(first.status).toBe(202);
    expect(first.headers.get('ratelimit-policy')).toContain('"engagement-ip-minute";q=5;w=60');
    expect(first.headers.get('ratelimit')).toContain('"engagement-ip-minute";r=2;');
    await expectCapped(await send(3, address, caps, org.token, item.id), 'engagement-ip-minute');
    // The refused three took nothing: two still fit. Another address has its own budget.
    expect((await send(2, address, caps, org.token, item.id)).status).toBe(202);
    await expectCapped(await send(1, address, caps, org.token, item.id), 'engagement-ip-minute');
    expect((await send(3, randomAddress(), caps, org.token, item.id)).status).toBe(202);

    await consumed(batchesOf(item.id), 3);
    expect(await viewsOf(item.id)).toBe(8);
  });

  it('per token and minute, across addresses', async () => {
    const token = (await createToken({}, { headers: org.users.org_admin.headers })).secret;
    const caps = { ENGAGEMENT_EVENTS_PER_TOKEN_PER_MINUTE: '4' };
    await clearOfWindowEdge();
    expect((await send(3, randomAddress(), caps, token)).status).toBe(202);
    await expectCapped(await send(2, randomAddress(), caps, token), 'engagement-token-minute');
    expect((await send(1, randomAddress(), caps, token)).status).toBe(202);
    expect((await send(4, randomAddress(), caps)).status).toBe(202);
  });

  it('per address and per token by the hour', async () => {
    const address = randomAddress();
    const perAddress = { ENGAGEMENT_EVENTS_PER_IP_PER_HOUR: '4' };
    expect((await send(4, address, perAddress)).status).toBe(202);
    await expectCapped(await send(1, address, perAddress), 'engagement-ip-hour');

    const token = (await createToken({}, { headers: org.users.org_admin.headers })).secret;
    const perToken = { ENGAGEMENT_EVENTS_PER_TOKEN_PER_HOUR: '4' };
    expect((await send(2, randomAddress(), perToken, token)).status).toBe(202);
    await expectCapped(await send(3, randomAddress(), perToken, token), 'engagement-token-hour');
  });

  it('counts only the events accepted, not the ones rejected as invalid', async () => {
    const caps = { ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE: '2' };
    const address = randomAddress();
    const res = await callApp(
      createApp(),
      `/delivery/v1/${org.slug}/events`,
      {
        method: 'POST',
        headers: { ...bearer(org.token), 'content-type': 'application/json', 'cf-connecting-ip': address },
        body: JSON.stringify({ events: [...views(2), { type: 'view' }, { type: 'purchase' }] }),
      },
      caps,
    );
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: 2 });
    await expectCapped(await send(1, address, caps), 'engagement-ip-minute');
  });
});
