import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { keySetStorageKey } from '../../../src/auth/remote-key-set.ts';
import type { Bindings } from '../../../src/config.ts';
import { ORG_ID, signToken } from '../auth.ts';
import { useHarness } from '../harness.ts';
import { readProblem } from '../helpers.ts';

/**
 * The identity provider's key set through outages (docs/decisions/0032): the last good set keeps verifying
 * for JWKS_STALE_TTL_SECONDS, a new isolate starts from the copy in KV, nothing asks the provider more than
 * once per cooldown, and only "no key set we may trust" is a 503. Each test has a key set endpoint of its
 * own (tests/stack/jwks-server.ts), switched up, down or hanging and counted.
 */

const { useUser } = useHarness();
const user = useUser(ORG_ID.globex, 'viewer');

const IDP_ISSUER = 'https://idp.test/';
const base = inject('jwksBaseUrl');
const idpKey = (kid: string) => inject('jwksPrivateJwks').find((k) => k.kid === kid)!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Short windows so a test can outlive them: fresh 1 s, stale 3 s, cooldown 1 s, fetch timeout 3 s. */
const SHORT: Partial<Bindings> = {
  JWKS_CACHE_MAX_AGE_SECONDS: '1',
  JWKS_STALE_TTL_SECONDS: '3',
  JWKS_REFRESH_COOLDOWN_SECONDS: '1',
};

interface Idp {
  url: string;
  switchTo(mode: 'up' | 'down' | 'hang', kids?: string[]): Promise<void>;
  hits(): Promise<number>;
}

function newIdp(): Idp {
  const name = `t-${crypto.randomUUID()}`;
  const control = `${base}/control/${name}`;
  return {
    url: `${base}/idp/${name}/jwks.json`,
    async switchTo(mode, kids) {
      const query = new URLSearchParams({ mode, ...(kids ? { kids: kids.join(',') } : {}) });
      const res = await fetch(`${control}?${query}`, { method: 'POST' });
      expect(res.status).toBe(200);
      await res.body?.cancel();
    },
    async hits() {
      return ((await (await fetch(control)).json()) as { hits: number }).hits;
    },
  };
}

const token = (kid = 'idp-rsa') => signToken({ sub: user.id }, { privateJwk: idpKey(kid), issuer: IDP_ISSUER });

/** GET /api/v1/me against `url`; `ms` is the time to the response, before work deferred past it ends. */
async function me(url: string, bearer: string, overrides: Partial<Bindings> = {}) {
  const ctx = createExecutionContext();
  const bindings = { ...env, JWKS_URL: url, JWT_LOCAL_PUBLIC_JWK: '', JWT_ISSUER: IDP_ISSUER, ...overrides };
  const started = Date.now();
  const res = await createApp().request(
    '/api/v1/me',
    { headers: { authorization: `Bearer ${bearer}` } },
    bindings,
    ctx,
  );
  const ms = Date.now() - started;
  await waitOnExecutionContext(ctx);
  return { res, ms };
}

async function expectStatus(response: Promise<{ res: Response }>, status: number, code?: string) {
  const { res } = await response;
  expect(res.status).toBe(status);
  if (code) expect((await readProblem(res)).code).toBe(code);
  else await res.body?.cancel();
}

describe('JWKS: the identity provider goes down', () => {
  it('200 with the cached keys once they are stale and the provider answers 503; it was asked again', async () => {
    const idp = newIdp();
    await expectStatus(me(idp.url, await token(), SHORT), 200);
    await idp.switchTo('down');
    await sleep(1_200);
    await expectStatus(me(idp.url, await token(), SHORT), 200);
    // The stale set was served, and a refresh tried (and failed) after the response.
    expect(await idp.hits()).toBe(2);
  });

  it('does not wait for a provider that hangs: stale keys answer at once, the refresh runs after the response', async () => {
    const idp = newIdp();
    await expectStatus(me(idp.url, await token(), SHORT), 200);
    await idp.switchTo('hang');
    await sleep(1_200);
    const { res, ms } = await me(idp.url, await token(), { ...SHORT, JWKS_TIMEOUT_MS: '3000' });
    expect(res.status).toBe(200);
    // Waiting for the refresh would take the whole 3 s timeout.
    expect(ms).toBeLessThan(2_000);
    expect(await idp.hits()).toBe(2);
  });

  it('503 jwks_unavailable once the last good set is older than JWKS_STALE_TTL_SECONDS', async () => {
    const idp = newIdp();
    await expectStatus(me(idp.url, await token(), SHORT), 200);
    await idp.switchTo('down');
    await sleep(3_200);
    const { res } = await me(idp.url, await token(), SHORT);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await readProblem(res)).code).toBe('jwks_unavailable');
  });

  it('503 without any cached keys, and within the cooldown the provider is not asked again', async () => {
    const idp = newIdp();
    await idp.switchTo('down');
    await expectStatus(me(idp.url, await token()), 503, 'jwks_unavailable');
    for (let i = 0; i < 5; i++) await expectStatus(me(idp.url, await token()), 503, 'jwks_unavailable');
    expect(await idp.hits()).toBe(1);
  });

  it('verifies again as soon as the provider is back (after the cooldown)', async () => {
    const idp = newIdp();
    await idp.switchTo('down');
    await expectStatus(me(idp.url, await token(), SHORT), 503, 'jwks_unavailable');
    await idp.switchTo('up');
    await sleep(1_100);
    await expectStatus(me(idp.url, await token(), SHORT), 200);
  });
});

describe('JWKS: unknown kids', () => {
  it('a flood of 50 unknown kids: 401 each, never 5xx, and the provider is asked at most once more', async () => {
    const idp = newIdp();
    await expectStatus(me(idp.url, await token()), 200);
    const flood = await Promise.all(
      Array.from({ length: 50 }, async () =>
        me(
          idp.url,
          await signToken(
            { sub: user.id },
            { privateJwk: idpKey('idp-rsa'), issuer: IDP_ISSUER, kid: crypto.randomUUID() },
          ),
        ),
      ),
    );
    for (const { res } of flood) {
      expect(res.status).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_token');
    }
    expect(await idp.hits()).toBeLessThanOrEqual(2);
  });

  it('a flood of unknown kids while the provider is down and the cached keys are stale: 401, not 503', async () => {
    // Stale after 1 s, and the 30 s cooldown running from the priming fetch: nothing may ask the provider.
    const stale: Partial<Bindings> = { JWKS_CACHE_MAX_AGE_SECONDS: '1', JWKS_STALE_TTL_SECONDS: '600' };
    const idp = newIdp();
    await expectStatus(me(idp.url, await token(), stale), 200);
    await idp.switchTo('down');
    await sleep(1_100);
    for (let i = 0; i < 20; i++) {
      const unknown = await signToken(
        { sub: user.id },
        { privateJwk: idpKey('idp-rsa'), issuer: IDP_ISSUER, kid: `rotated-${i}` },
      );
      await expectStatus(me(idp.url, unknown, stale), 401, 'invalid_token');
    }
    expect(await idp.hits()).toBe(1);
    await expectStatus(me(idp.url, await token(), stale), 200);
  });

  it('an unknown kid after the cooldown refreshes once: a key rotated in at the provider verifies', async () => {
    const idp = newIdp();
    const cooldown: Partial<Bindings> = { JWKS_REFRESH_COOLDOWN_SECONDS: '3' };
    await idp.switchTo('up', ['idp-rsa']);
    await expectStatus(me(idp.url, await token('idp-rsa'), cooldown), 200);
    await idp.switchTo('up', ['idp-rsa', 'idp-ec']);
    // Within the cooldown the new kid is refused without asking; after it, one refresh finds the key.
    await expectStatus(me(idp.url, await token('idp-ec'), cooldown), 401, 'invalid_token');
    expect(await idp.hits()).toBe(1);
    await sleep(3_100);
    await expectStatus(me(idp.url, await token('idp-ec'), cooldown), 200);
    expect(await idp.hits()).toBe(2);
  });
});

describe('JWKS: the copy in KV', () => {
  const record = (fetchedAt: number) => ({
    v: 1,
    fetchedAt,
    jwks: { keys: inject('jwksPrivateJwks').map(({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub }) => pub) },
  });

  it('a good set fetched from the provider is written to KV', async () => {
    const idp = newIdp();
    await expectStatus(me(idp.url, await token()), 200);
    const stored = (await env.DELIVERY_CACHE.get(await keySetStorageKey(idp.url), 'json')) as {
      fetchedAt: number;
      jwks: { keys: Array<{ kid: string }> };
    } | null;
    expect(stored?.jwks.keys.map((k) => k.kid).sort()).toEqual(['idp-ec', 'idp-ed25519', 'idp-rsa']);
    expect(Date.now() - stored!.fetchedAt).toBeLessThan(60_000);
  });

  it('a new isolate during an outage verifies with the stored set (never having reached the provider)', async () => {
    const idp = newIdp();
    await idp.switchTo('down');
    // An hour old: past the 10-minute freshness, within the 6-hour stale window.
    await env.DELIVERY_CACHE.put(await keySetStorageKey(idp.url), JSON.stringify(record(Date.now() - 3_600_000)));
    await expectStatus(me(idp.url, await token()), 200);
  });

  it('a fresh stored set is used without asking the provider', async () => {
    const idp = newIdp();
    await env.DELIVERY_CACHE.put(await keySetStorageKey(idp.url), JSON.stringify(record(Date.now() - 1_000)));
    await expectStatus(me(idp.url, await token()), 200);
    expect(await idp.hits()).toBe(0);
  });

  it('a stored set older than the stale window is not trusted: 503 while the provider is down', async () => {
    const idp = newIdp();
    await idp.switchTo('down');
    await env.DELIVERY_CACHE.put(await keySetStorageKey(idp.url), JSON.stringify(record(Date.now() - 7 * 3_600_000)));
    await expectStatus(me(idp.url, await token()), 503, 'jwks_unavailable');
  });

  it('a stored value that is not a key set record is ignored (the provider is asked)', async () => {
    const idp = newIdp();
    await env.DELIVERY_CACHE.put(
      await keySetStorageKey(idp.url),
      JSON.stringify({ v: 1, fetchedAt: Date.now(), jwks: 'x' }),
    );
    await expectStatus(me(idp.url, await token()), 200);
    expect(await idp.hits()).toBe(1);
  });
});
