import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_TOKEN_PREFIX, generateSecret } from '../../../src/auth/api-key-secret.ts';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { organizations } from '../../../src/db/schema/index.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';
import { call, callApp, eventually, readProblem } from '../helpers.ts';
import { consumed, jsonHeaders, useHarness } from '../harness.ts';
import { randomAddress, UNREACHABLE_DATABASE } from '../rate-limit/fixtures.ts';
import { bearer, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
let itemPath = '';
beforeAll(async () => {
  const item = await publishedItem(db, org);
  itemPath = `/delivery/v1/${org.slug}/content/${item.id}`;
  await untilDelivered(`${org.slug}/content/${item.id}`, bearer(org.token), (status) => status === 200);
});

/** A delivery GET from `address` through an app whose configuration carries `limits`. */
const get = (path: string, address: string, limits: Partial<Bindings>, headers: Record<string, string> = {}) =>
  callApp(createApp(), path, { headers: { 'cf-connecting-ip': address, ...headers } }, limits);

const randomToken = () => generateSecret(DELIVERY_TOKEN_PREFIX).secret;

async function expectLimited(res: Response, policy: string): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(res.headers.get('access-control-allow-origin')).toBe('*');
  expect(res.headers.get('ratelimit')).toMatch(new RegExp(`"${policy}";r=0;t=\\d+`));
  const problem = await readProblem(res);
  expect(problem.code).toBe('rate_limited');
  expect(problem.detail).toContain(policy);
}

describe('delivery API rate limit per client address', () => {
  const limits = { DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE: '3' };

  it('limits an address before any lookup: unknown slugs are counted, and the 4th request is 429 without Postgres', async () => {
    const address = randomAddress();
    const unknown = `/delivery/v1/no-such-org-${crypto.randomUUID().slice(0, 8)}/content`;
    for (let i = 0; i < 3; i++) {
      const res = await get(unknown, address, limits);
      expect(res.status).toBe(404);
      expect(res.headers.get('ratelimit-policy')).toContain('"delivery-ip";q=3;w=60');
      expect(res.headers.get('ratelimit')).toContain(`"delivery-ip";r=${2 - i};`);
    }
    await expectLimited(await get(unknown, address, limits), 'delivery-ip');
    // The unreachable database would make any lookup a 503: the limit answered first.
    await expectLimited(
      await get(`${unknown}/${crypto.randomUUID()}`, address, { ...limits, ...UNREACHABLE_DATABASE }),
      'delivery-ip',
    );
    // Any organization, any token: it is the address that is counted.
    await expectLimited(await get(itemPath, address, limits, bearer(org.token)), 'delivery-ip');
    expect((await get(itemPath, randomAddress(), limits, bearer(org.token))).status).toBe(200);
  });

  it('lets CORS preflights through uncounted, and exposes the headers to browsers', async () => {
    const address = randomAddress();
    for (let i = 0; i < 5; i++) {
      const preflight = await callApp(
        createApp(),
        itemPath,
        { method: 'OPTIONS', headers: { 'cf-connecting-ip': address, origin: 'https://site.example' } },
        limits,
      );
      expect(preflight.status).toBe(204);
    }
    const res = await get(itemPath, address, limits, bearer(org.token));
    expect(res.status).toBe(200);
    expect(res.headers.get('ratelimit')).toContain('"delivery-ip";r=2;');
    expect(res.headers.get('access-control-expose-headers')).toContain('RateLimit-Policy');
  });
});

describe('delivery API rate limit per delivery token', () => {
  const limits = { DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE: '3' };

  it('counts one token across addresses; another token has its own budget', async () => {
    const token = (await createToken({}, { headers: org.users.org_admin.headers })).secret;
    for (let i = 0; i < 3; i++) {
      const res = await get(itemPath, randomAddress(), limits, bearer(token));
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toContain('"delivery-token";q=3;w=60');
    }
    await expectLimited(await get(itemPath, randomAddress(), limits, bearer(token)), 'delivery-token');
    expect((await get(itemPath, randomAddress(), limits, bearer(org.token))).status).toBe(200);
  });

  it('counts public (token-less) reads per organization and address', async () => {
    const open = await harness.newTenant({ deliveryPublic: true });
    const item = await publishedItem(db, open);
    const path = `/delivery/v1/${open.slug}/content/${item.id}`;
    const address = randomAddress();
    await eventually(async () => ((await get(path, randomAddress(), {})).status === 200 ? true : undefined), 10_000);
    for (let i = 0; i < 3; i++) expect((await get(path, address, limits)).status).toBe(200);
    await expectLimited(await get(path, address, limits), 'delivery-token');
    expect((await get(path, randomAddress(), limits)).status).toBe(200);
  });
});

describe("an organization's own delivery limits (PUT /api/v1/delivery-settings)", () => {
  const put = (body: unknown, headers = org.users.org_admin.headers) =>
    call('/api/v1/delivery-settings', { method: 'PUT', headers: jsonHeaders(headers), body: JSON.stringify(body) });

  it('are validated, audited, and applied at the edge once the change reaches it', async () => {
    for (const requestsPerIpPerMinute of [0, 60_001, 1.5, '10']) {
      const res = await put({
        publicAccess: false,
        rateLimits: { requestsPerIpPerMinute, requestsPerTokenPerMinute: null },
      });
      expect(res.status, String(requestsPerIpPerMinute)).toBe(400);
    }
    expect((await put({ publicAccess: false, rateLimits: { requestsPerIpPerMinute: 2 } })).status).toBe(400);
    expect(
      (
        await put(
          { publicAccess: false, rateLimits: { requestsPerIpPerMinute: 2, requestsPerTokenPerMinute: null } },
          org.users.editor.headers,
        )
      ).status,
    ).toBe(403);

    const res = await put({
      publicAccess: false,
      rateLimits: { requestsPerIpPerMinute: 2, requestsPerTokenPerMinute: 500 },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      rateLimits: { requestsPerIpPerMinute: 2, requestsPerTokenPerMinute: 500 },
    });
    const [audit] = await harness.auditRows({
      type: 'organization',
      id: org.id,
      action: 'organization.delivery_settings_update',
    });
    expect(audit?.changes).toEqual({
      before: { rateLimits: { requestsPerIpPerMinute: null, requestsPerTokenPerMinute: null } },
      after: { rateLimits: { requestsPerIpPerMinute: 2, requestsPerTokenPerMinute: 500 } },
    });

    // The Worker's own configuration allows millions; the organization's limit wins once the edge has it.
    await eventually(async () => {
      const probe = await call(itemPath, { headers: { ...bearer(org.token), 'cf-connecting-ip': randomAddress() } });
      return probe.headers.get('ratelimit-policy')?.includes('"delivery-ip";q=2;w=60') ? true : undefined;
    }, 15_000);
    const address = randomAddress();
    const headers = { ...bearer(org.token), 'cf-connecting-ip': address };
    expect((await call(itemPath, { headers })).status).toBe(200);
    const second = await call(itemPath, { headers });
    expect(second.headers.get('ratelimit-policy')).toContain('"delivery-token";q=500;w=60');
    expect(second.status).toBe(200);
    await expectLimited(await call(itemPath, { headers }), 'delivery-ip');

    // Switching public access alone keeps the limits; null hands them back to the platform.
    const kept = await put({ publicAccess: false });
    expect(await kept.json()).toMatchObject({
      rateLimits: { requestsPerIpPerMinute: 2, requestsPerTokenPerMinute: 500 },
    });
    const cleared = await put({
      publicAccess: false,
      rateLimits: { requestsPerIpPerMinute: null, requestsPerTokenPerMinute: null },
    });
    expect(await cleared.json()).toMatchObject({
      rateLimits: { requestsPerIpPerMinute: null, requestsPerTokenPerMinute: null },
    });
    const [stored] = await db.select().from(organizations).where(eq(organizations.id, org.id));
    expect(stored?.deliveryRateLimitPerIpPerMinute).toBeNull();
    await eventually(async () => {
      const probe = await call(itemPath, { headers: { ...bearer(org.token), 'cf-connecting-ip': address } });
      return probe.status === 200 && probe.headers.get('ratelimit-policy')?.includes('"delivery-ip";q=10000000')
        ? true
        : undefined;
    }, 15_000);
  });
});

describe('invalid delivery tokens per address', () => {
  const limits = { AUTH_FAILURE_LIMIT_PER_IP: '3' };

  it('refuses an address after its failures, before looking any token up', async () => {
    const address = randomAddress();
    // Unthrottled, a random token is looked up: with the database unreachable that is a 503.
    expect((await get(itemPath, randomAddress(), UNREACHABLE_DATABASE, bearer(randomToken()))).status).toBe(503);
    for (let i = 0; i < 3; i++) {
      const res = await get(itemPath, address, limits, bearer(randomToken()));
      expect(res.status).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_token');
    }
    // A token nobody here has seen accepted is refused unchecked, valid or not: the database is never asked.
    const unseen = (await createToken({}, { headers: org.users.org_admin.headers })).secret;
    for (const headers of [bearer(randomToken()), bearer(unseen)]) {
      const res = await get(itemPath, address, { ...limits, ...UNREACHABLE_DATABASE }, headers);
      expect(res.status).toBe(429);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect((await readProblem(res)).code).toBe('too_many_authentication_failures');
    }
    // Reads without a token present no credential, so they are not refused for it (401: this organization needs one).
    expect((await readProblem(await get(itemPath, address, limits))).code).toBe('missing_credentials');
    expect((await get(itemPath, randomAddress(), limits, bearer(unseen))).status).toBe(200);
  });

  it('still serves a token this isolate saw accepted lately, from an address over its budget', async () => {
    const created = await createToken({}, { headers: org.users.org_admin.headers });
    // Its created event clears the token's KV entry (docs/decisions/0031): let it go before the entry is filled.
    await consumed((e) => e.type === 'delivery_token.created' && e.data.deliveryTokenId === created.id);
    const token = created.secret;
    expect((await get(itemPath, randomAddress(), limits, bearer(token))).status).toBe(200);
    const address = randomAddress();
    for (let i = 0; i < 3; i++) expect((await get(itemPath, address, limits, bearer(randomToken()))).status).toBe(401);
    // One bad client behind a shared address does not lock out the good ones; the token costs no lookup.
    expect((await get(itemPath, address, { ...limits, ...UNREACHABLE_DATABASE }, bearer(token))).status).toBe(200);
    expect((await get(itemPath, address, limits, bearer(randomToken()))).status).toBe(429);
  });

  it('does not count reads with a valid token', async () => {
    const address = randomAddress();
    for (let i = 0; i < 5; i++) expect((await get(itemPath, address, limits, bearer(org.token))).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await get(itemPath, address, limits, bearer(randomToken()))).status).toBe(401);
    expect((await get(itemPath, address, limits, bearer(org.token))).status).toBe(200);
    expect((await get(itemPath, address, limits, bearer(randomToken()))).status).toBe(401);
    expect((await get(itemPath, address, limits, bearer(randomToken()))).status).toBe(429);
  });
});

describe('delivery rate limits with Redis down', () => {
  it('keep serving reads, judged by the per-isolate fallback with the same limits', async () => {
    const address = randomAddress();
    const limits = { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1', DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE: '2' };
    for (let i = 0; i < 2; i++) expect((await get(itemPath, address, limits, bearer(org.token))).status).toBe(200);
    await expectLimited(await get(itemPath, address, limits, bearer(org.token)), 'delivery-ip');
  });
});
