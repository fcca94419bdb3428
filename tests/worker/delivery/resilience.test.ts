import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { callApp, eventually, readProblem } from '../helpers.ts';
import { bearer, deliveryGet, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';
import { useHarness } from '../harness.ts';
import { scoreThisTest } from '../scorecard.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
const app = createApp();

/** PostgreSQL unreachable: a port nothing listens on (connection refused at once). */
const databaseDown = { DATABASE_URL: `postgres://postgres@127.0.0.1:1/down-${crypto.randomUUID().slice(0, 8)}` };

/** KV failing on every call, as during a KV incident. */
const failingKv = new Proxy({} as KVNamespace, {
  get: () => () => Promise.reject(new Error('KV is unavailable')),
});

const inKv = (key: string) => eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? undefined : true));

let cachedItem = '';
let uncachedItem = '';

beforeAll(async () => {
  const [cached, uncached] = [
    await publishedItem(db, org, { platforms: ['resilience'] }),
    await publishedItem(db, org, { platforms: ['resilience'] }),
  ];
  cachedItem = cached.id;
  uncachedItem = uncached.id;
  // The edge has the organization, the token, one item and a list page; the other item is not in KV.
  await untilDelivered(`${org.slug}/content/${cachedItem}`, bearer(org.token), (s) => s === 200);
  await untilDelivered<{ data: { id: string }[] }>(
    `${org.slug}/content?platform=resilience`,
    bearer(org.token),
    (_s, page) => page?.data.length === 2,
  );
  await inKv(deliveryKeys.item(org.id, uncachedItem));
  await env.DELIVERY_CACHE.delete(deliveryKeys.item(org.id, uncachedItem));
  await inKv(deliveryKeys.organizationBySlug(org.slug));
  await inKv(deliveryKeys.tokenByHash(await hashApiKeySecret(org.token)));
  // The list page fill runs after its response.
  const again = await deliveryGet(`${org.slug}/content?platform=resilience`, bearer(org.token));
  if (again.headers.get('x-delivery-cache') !== 'hit')
    await eventually(async () =>
      (await deliveryGet(`${org.slug}/content?platform=resilience`, bearer(org.token))).headers.get(
        'x-delivery-cache',
      ) === 'hit'
        ? true
        : undefined,
    );
});

const read = (path: string, overrides: Record<string, unknown>) =>
  callApp(app, `/delivery/v1/${org.slug}/${path}`, { headers: bearer(org.token) }, overrides);

describe('with PostgreSQL unreachable', () => {
  it('serves items and lists already in KV (200), and misses answer 503 with Retry-After, never another 5xx', async () => {
    scoreThisTest('faults');
    const item = await read(`content/${cachedItem}`, databaseDown);
    expect(item.status).toBe(200);
    expect(item.headers.get('x-delivery-cache')).toBe('hit');
    expect(((await item.json()) as { id: string }).id).toBe(cachedItem);
    const page = await read('content?platform=resilience', databaseDown);
    expect(page.status).toBe(200);
    expect(((await page.json()) as { data: unknown[] }).data).toHaveLength(2);

    const miss = await read(`content/${uncachedItem}`, databaseDown);
    expect(miss.status).toBe(503);
    expect(miss.headers.get('retry-after')).toBe('5');
    expect((await readProblem(miss)).code).toBe('database_unavailable');

    // Once this isolate has seen the database fail, answers from KV say they may be behind.
    const stale = await read(`content/${cachedItem}`, databaseDown);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-delivery-stale')).toBe('database-unreachable');

    const statuses = await Promise.all(
      [
        `content/${cachedItem}`,
        `content/${uncachedItem}`,
        'content?platform=resilience',
        'content?platform=other',
        `content/${crypto.randomUUID()}`,
      ].map(async (path) => (await read(path, databaseDown)).status),
    );
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    const unknownOrg = await callApp(
      app,
      `/delivery/v1/unknown-${crypto.randomUUID().slice(0, 6)}/content`,
      { headers: bearer(org.token) },
      databaseDown,
    );
    expect(unknownOrg.status).toBe(503);
  });

  it('the normal database path is unaffected: the breaker is per database', async () => {
    const res = await deliveryGet(`${org.slug}/content/${cachedItem}`, bearer(org.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-delivery-stale')).toBeNull();
  });
});

describe('with KV failing', () => {
  it('reads items, lists and access from PostgreSQL (200, a miss), and does not write to KV', async () => {
    scoreThisTest('faults');
    const item = await read(`content/${uncachedItem}`, { DELIVERY_CACHE: failingKv });
    expect(item.status).toBe(200);
    expect(item.headers.get('x-delivery-cache')).toBe('miss');
    expect(((await item.json()) as { id: string }).id).toBe(uncachedItem);
    const page = await read('content?platform=resilience', { DELIVERY_CACHE: failingKv });
    expect(page.status).toBe(200);
    expect(page.headers.get('x-delivery-cache')).toBe('miss');
    expect(((await page.json()) as { data: unknown[] }).data).toHaveLength(2);
  });

  it('with KV failing and PostgreSQL down too, answers 503 rather than 500', async () => {
    scoreThisTest('faults');
    const res = await read(`content/${cachedItem}`, { DELIVERY_CACHE: failingKv, ...databaseDown });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
  });
});
