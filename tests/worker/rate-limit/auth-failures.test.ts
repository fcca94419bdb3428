import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { newCookieSecret } from '../../../src/auth/session-cookie.ts';
import { authHeaders } from '../auth.ts';
import { callApp, readProblem } from '../helpers.ts';
import { randomAddress, randomApiKey, randomPrefix64, UNREACHABLE_DATABASE } from './fixtures.ts';

// Three failures per address within five minutes; every test sends from addresses of its own.
const LIMITS = { AUTH_FAILURE_LIMIT_PER_IP: '3', AUTH_FAILURE_WINDOW_SECONDS: '300' };

const me = (address: string, authorization: string | undefined, overrides: Partial<Bindings> = {}) =>
  callApp(
    createApp(),
    '/api/v1/me',
    { headers: { 'cf-connecting-ip': address, ...(authorization ? { authorization } : {}) } },
    { ...LIMITS, ...overrides },
  );

/** The session cookie as a browser sends it over http (docs/decisions/0035): random, so it names no session. */
const withCookie = (address: string, value: string, init: RequestInit = {}) => ({
  ...init,
  headers: { 'cf-connecting-ip': address, cookie: `cos_session=${value}`, ...(init.headers as Record<string, string>) },
});
const meByCookie = (address: string, value: string, overrides: Partial<Bindings> = {}) =>
  callApp(createApp(), '/api/v1/me', withCookie(address, value), { ...LIMITS, ...overrides });
const signOutByCookie = (address: string, value: string, overrides: Partial<Bindings> = {}) =>
  callApp(
    createApp(),
    '/auth/logout',
    withCookie(address, value, { method: 'POST', headers: { origin: 'http://localhost', 'x-csrf': '1' } }),
    { ...LIMITS, ...overrides },
  );

const valid = async () => (await authHeaders('viewer')).authorization!;

async function expectThrottled(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  const problem = await readProblem(res);
  expect(problem.code).toBe('too_many_authentication_failures');
}

describe('failed authentications per address on the management API', () => {
  it('refuses an address after its failures with random API keys, before any database lookup', async () => {
    const address = randomAddress();
    // With the database unreachable, a lookup is a 503: that is what an unthrottled random key costs.
    expect((await me(randomAddress(), `Bearer ${randomApiKey()}`, UNREACHABLE_DATABASE)).status).toBe(503);

    for (let i = 0; i < 3; i++) {
      const res = await me(address, `Bearer ${randomApiKey()}`);
      expect(res.status).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_api_key');
    }
    // Over the budget: 429, and the unreachable database proves nobody asked it.
    await expectThrottled(await me(address, `Bearer ${randomApiKey()}`, UNREACHABLE_DATABASE));
    await expectThrottled(await me(address, `Bearer ${randomApiKey()}`));
    // Even a good credential from that address waits; another address is not affected.
    await expectThrottled(await me(address, await valid()));
    expect((await me(randomAddress(), await valid())).status).toBe(200);
    expect((await me(randomAddress(), `Bearer ${randomApiKey()}`)).status).toBe(401);
  });

  it('counts bad JWTs (bad signature, garbage) the same way', async () => {
    const address = randomAddress();
    const forged = `${(await valid()).slice(0, -8)}AAAAAAAA`;
    for (const authorization of [forged, 'Bearer not-a-jwt', 'Bearer eyJhbGciOiJub25lIn0.e30.']) {
      expect((await me(address, authorization)).status).toBe(401);
    }
    await expectThrottled(await me(address, await valid(), UNREACHABLE_DATABASE));
  });

  it('does not count successful authentications, nor requests without credentials', async () => {
    const address = randomAddress();
    for (let i = 0; i < 5; i++) expect((await me(address, await valid())).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await me(address, undefined)).status).toBe(401);
    expect((await me(address, `Bearer ${randomApiKey()}`)).status).toBe(401);
    expect((await me(address, `Bearer ${randomApiKey()}`)).status).toBe(401);
    expect((await me(address, await valid())).status).toBe(200);
    expect((await me(address, `Bearer ${randomApiKey()}`)).status).toBe(401);
    await expectThrottled(await me(address, await valid()));
  });

  it('counts an IPv6 /64 as one address', async () => {
    const prefix = randomPrefix64();
    for (const address of [`${prefix}::1`, `${prefix}:a:b:c:d`, `${prefix}:0:0:0:ffff`]) {
      expect((await me(address, `Bearer ${randomApiKey()}`)).status).toBe(401);
    }
    await expectThrottled(await me(`${prefix}::2`, `Bearer ${randomApiKey()}`, UNREACHABLE_DATABASE));
    expect((await me(`${randomPrefix64()}::2`, await valid())).status).toBe(200);
  });

  it('still throttles, per isolate, when Redis is unreachable', async () => {
    const address = randomAddress();
    const noRedis = { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' };
    for (let i = 0; i < 3; i++) expect((await me(address, `Bearer ${randomApiKey()}`, noRedis)).status).toBe(401);
    await expectThrottled(await me(address, `Bearer ${randomApiKey()}`, { ...noRedis, ...UNREACHABLE_DATABASE }));
  });

  it('counts session cookies that name no session, and refuses the next one before its session lookup', async () => {
    const address = randomAddress();
    // Unthrottled, a well-formed unknown cookie costs a session lookup: 503 with the database unreachable.
    expect((await meByCookie(randomAddress(), newCookieSecret(), UNREACHABLE_DATABASE)).status).toBe(503);
    for (const value of [newCookieSecret(), newCookieSecret(), 'garbage']) {
      const res = await meByCookie(address, value);
      expect(res.status).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_session');
    }
    await expectThrottled(await meByCookie(address, newCookieSecret(), UNREACHABLE_DATABASE));
    await expectThrottled(await me(address, await valid()));
    expect((await me(randomAddress(), await valid())).status).toBe(200);
  });

  it('a cookie-authenticated change refused by the CSRF check is a 403, not a failed authentication', async () => {
    const address = randomAddress();
    for (let i = 0; i < 4; i++) {
      const res = await callApp(
        createApp(),
        '/api/v1/content',
        withCookie(address, newCookieSecret(), { method: 'POST' }),
        LIMITS,
      );
      expect((await readProblem(res)).code).toBe('csrf_check_failed');
    }
    expect((await me(address, await valid())).status).toBe(200);
  });
});

describe('failed authentications per address on sign-out', () => {
  it('counts cookies that name no session, and refuses the next one before its session lookup', async () => {
    const address = randomAddress();
    expect((await signOutByCookie(randomAddress(), newCookieSecret(), UNREACHABLE_DATABASE)).status).toBe(503);
    // Signing out of nothing still succeeds from the browser's side, but it counts.
    for (let i = 0; i < 3; i++) expect((await signOutByCookie(address, newCookieSecret())).status).toBe(204);
    await expectThrottled(await signOutByCookie(address, newCookieSecret(), UNREACHABLE_DATABASE));
    await expectThrottled(await me(address, await valid()));
  });
});
