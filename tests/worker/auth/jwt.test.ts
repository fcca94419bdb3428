import { env } from 'cloudflare:test';
import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { ORG_ID, signToken, userEmail, userId } from '../auth.ts';
import { useHarness } from '../harness.ts';
import { call, callApp, readProblem } from '../helpers.ts';

/**
 * Attacks on the JWT path of the management API, through GET /api/v1/me: the Worker as deployed for
 * tests (local ES256 key, issuer contentos-local) and apps with a remote JWKS (tests/stack/jwks-server.ts).
 */

const { insertUser } = useHarness();

const LOCAL_ISSUER = 'contentos-local';
const IDP_ISSUER = 'https://idp.test/';
const AUDIENCE = 'contentos-api';
const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const encoder = new TextEncoder();
function base64url(data: string | Uint8Array | ArrayBuffer): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const decodeSegment = (segment: string) =>
  JSON.parse(atob(segment.replace(/-/g, '+').replace(/_/g, '/'))) as Record<string, unknown>;

/**
 * A compact JWS built by hand, so headers jose would refuse to produce can be sent. It has the accepted
 * `typ` (at+jwt) unless the header says otherwise, so each attack is refused for what it tests.
 */
async function handMade(
  header: Record<string, unknown>,
  payload: JWTPayload,
  sign?: (input: Uint8Array) => Promise<ArrayBuffer>,
): Promise<string> {
  const input = `${base64url(JSON.stringify({ typ: 'at+jwt', ...header }))}.${base64url(JSON.stringify(payload))}`;
  return `${input}.${sign ? base64url(await sign(encoder.encode(input))) : ''}`;
}

/** ES256 with a private JWK: WebCrypto's ECDSA output (r‖s) is already the JWS signature format. */
const es256With = (privateJwk: JWK) => async (input: Uint8Array) =>
  crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, (await importJWK(privateJwk, 'ES256')) as CryptoKey, input);

const claimsFor = (sub: string, extra: JWTPayload = {}): JWTPayload => ({
  sub,
  iss: LOCAL_ISSUER,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 600,
  ...extra,
});

async function attackerKey(alg: 'ES256' | 'RS256', kid: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg },
  };
}

const publicPart = ({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }: JWK): JWK => rest;

async function expectInvalidToken(res: Response, label?: string): Promise<void> {
  expect(res.status, label).toBe(401);
  expect(res.headers.get('www-authenticate'), label).toBe('Bearer realm="contentos", error="invalid_token"');
  expect((await readProblem(res)).code, label).toBe('invalid_token');
}

const me = (headers: Record<string, string>) => call('/api/v1/me', { headers });
const idpKey = (kid: string) => inject('jwksPrivateJwks').find((k) => k.kid === kid)!;

/** An app verifying against a remote key set at `url`; distinct fragments give distinct cold caches. */
function meViaJwks(headers: Record<string, string>, url: string): Promise<Response> {
  const overrides: Partial<Bindings> = {
    JWKS_URL: url,
    JWT_LOCAL_PUBLIC_JWK: '',
    JWT_ISSUER: IDP_ISSUER,
    JWT_AUDIENCE: AUDIENCE,
  };
  return callApp(createApp(), '/api/v1/me', { headers }, overrides);
}
// The JWKS test server matches paths exactly, so a query string would 404; a fragment is never sent.
const coldUrl = (url: string) => `${url}#cold-${crypto.randomUUID()}`;
const idpToken = (
  subject: { sub?: string; email?: string },
  kid: string,
  extra: Parameters<typeof signToken>[1] = {},
) => signToken(subject, { privateJwk: idpKey(kid), issuer: IDP_ISSUER, ...extra });

describe('JWT: local key (the deployed test Worker)', () => {
  const sub = userId('editor');

  it('accepts a valid token (200), and one expired within the 30 s clock tolerance', async () => {
    const res = await me(bearer(await signToken({ sub })));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(sub);
    expect((await me(bearer(await signToken({ sub }, { expiresIn: now() - 10 })))).status).toBe(200);
  });

  it('401 for alg "none" (unsigned), in any spelling', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      await expectInvalidToken(await me(bearer(await handMade({ alg }, claimsFor(sub)))), alg);
    }
  });

  it('401 for HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const publicJwkText = (env as Bindings).JWT_LOCAL_PUBLIC_JWK!;
    const publicJwk = JSON.parse(publicJwkText) as JWK;
    for (const secret of [
      publicJwkText,
      JSON.stringify(publicJwk),
      JSON.stringify(publicPart(inject('localPrivateJwk'))),
    ]) {
      const hmac = await crypto.subtle.importKey(
        'raw',
        encoder.encode(secret),
        { name: 'HMAC', hash: 'SHA-256' },
        false,
        ['sign'],
      );
      const token = await handMade({ alg: 'HS256', kid: publicJwk.kid }, claimsFor(sub), (input) =>
        crypto.subtle.sign('HMAC', hmac, input),
      );
      await expectInvalidToken(await me(bearer(token)));
    }
  });

  it('401 for a wrong issuer, a wrong audience, or none at all', async () => {
    await expectInvalidToken(await me(bearer(await signToken({ sub }, { issuer: 'https://evil.example/' }))), 'issuer');
    await expectInvalidToken(await me(bearer(await signToken({ sub }, { audience: 'another-api' }))), 'audience');
    const { aud: _aud, ...noAudience } = claimsFor(sub);
    await expectInvalidToken(
      await me(bearer(await handMade({ alg: 'ES256' }, noAudience, es256With(inject('localPrivateJwk'))))),
      'no audience',
    );
  });

  it('401 for a token expired beyond the 30 s tolerance, or without exp', async () => {
    await expectInvalidToken(await me(bearer(await signToken({ sub }, { expiresIn: now() - 60 }))), 'expired');
    const { exp: _exp, ...noExpiry } = claimsFor(sub);
    // Signed correctly by the trusted key: only the missing claim is wrong.
    await expectInvalidToken(
      await me(bearer(await handMade({ alg: 'ES256' }, noExpiry, es256With(inject('localPrivateJwk'))))),
      'no exp',
    );
  });

  it('401 for a token not yet valid (nbf in 10 minutes)', async () => {
    await expectInvalidToken(await me(bearer(await signToken({ sub }, { notBefore: now() + 600 }))));
  });

  it('401 for a tampered payload: another sub with the original signature', async () => {
    const [header, payload, signature] = (await signToken({ sub })).split('.') as [string, string, string];
    const claims = decodeSegment(payload);
    expect(claims.sub).toBe(sub);
    const forged = `${header}.${base64url(JSON.stringify({ ...claims, sub: userId('super_admin') }))}.${signature}`;
    await expectInvalidToken(await me(bearer(forged)));
    // A flipped signature bit is just as invalid.
    const flipped = `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
    await expectInvalidToken(await me(bearer(flipped)));
  });

  it('401 for a valid token signed by a key the server does not know, even under the trusted kid', async () => {
    const stranger = await attackerKey('ES256', inject('localPrivateJwk').kid!);
    await expectInvalidToken(await me(bearer(await signToken({ sub }, { privateJwk: stranger.privateJwk }))));
  });

  it('401 for a key embedded in the header (jwk) or an unknown critical extension', async () => {
    const stranger = await attackerKey('ES256', 'attacker');
    await expectInvalidToken(
      await me(
        bearer(
          await handMade({ alg: 'ES256', jwk: stranger.publicJwk }, claimsFor(sub), es256With(stranger.privateJwk)),
        ),
      ),
      'jwk',
    );
    const crit = await handMade(
      { alg: 'ES256', crit: ['x-must-understand'], 'x-must-understand': true },
      claimsFor(sub),
      es256With(inject('localPrivateJwk')),
    );
    await expectInvalidToken(await me(bearer(crit)), 'crit');
  });

  it('401 for a token naming neither sub nor email', async () => {
    const res = await me(bearer(await signToken({})));
    await expectInvalidToken(res);
  });

  it('401 for a malformed Authorization header', async () => {
    const token = await signToken({ sub });
    for (const authorization of [
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNzd29yZA==',
      `Token ${token}`,
      `Bearer ${token} extra`,
      'Bearer not-a-jwt',
      'Bearer a.b.c',
      `Bearer ${token.split('.').slice(0, 2).join('.')}`,
    ]) {
      await expectInvalidToken(await me({ authorization }), authorization.slice(0, 20));
    }
  });
});

describe('JWT: remote JWKS (identity provider)', () => {
  const url = inject('jwksUrl');
  const sub = userId('viewer', 'globex');

  // Users of their own: a seeded user signs in through the local provider elsewhere and is bound to it.
  it.each(['idp-rsa', 'idp-ed25519', 'idp-ec'])(
    '200 for a token signed by %s with the right kid, iss and aud',
    async (kid) => {
      const user = await insertUser(ORG_ID.globex, 'viewer');
      const res = await meViaJwks(bearer(await idpToken({ sub: user.id }, kid)), url);
      expect(res.status).toBe(200);
      expect((await res.json()) as { user: { id: string }; organization: { slug: string } }).toMatchObject({
        user: { id: user.id },
        organization: { slug: 'globex' },
      });
    },
  );

  it('identifies the user by the (verified) email claim alone (no sub): 200 for a user not yet bound', async () => {
    const user = await insertUser(ORG_ID.demo, 'approver');
    const res = await meViaJwks(bearer(await idpToken({ email: user.email.toUpperCase() }, 'idp-ec')), url);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(user.id);
  });

  it('401 for the sub of an unknown user', async () => {
    const res = await meViaJwks(bearer(await idpToken({ sub: crypto.randomUUID() }, 'idp-rsa')), url);
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('unknown_principal');
  });

  it('401 for an unknown kid, and for a stranger key under a known kid', async () => {
    await expectInvalidToken(
      await meViaJwks(bearer(await idpToken({ sub }, 'idp-rsa', { kid: 'idp-retired' })), url),
      'unknown kid',
    );
    const stranger = await attackerKey('RS256', 'idp-rsa');
    await expectInvalidToken(
      await meViaJwks(bearer(await signToken({ sub }, { privateJwk: stranger.privateJwk, issuer: IDP_ISSUER })), url),
      'stranger',
    );
  });

  it('401 for alg none, HS256 with the IdP public key, a wrong issuer, and the local development key', async () => {
    await expectInvalidToken(
      await meViaJwks(
        bearer(await handMade({ alg: 'none', kid: 'idp-rsa' }, { ...claimsFor(sub), iss: IDP_ISSUER })),
        url,
      ),
      'none',
    );
    const rsaPublic = JSON.stringify(publicPart(idpKey('idp-rsa')));
    const hmac = await crypto.subtle.importKey(
      'raw',
      encoder.encode(rsaPublic),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const confused = await handMade({ alg: 'HS256', kid: 'idp-rsa' }, { ...claimsFor(sub), iss: IDP_ISSUER }, (input) =>
      crypto.subtle.sign('HMAC', hmac, input),
    );
    await expectInvalidToken(await meViaJwks(bearer(confused), url), 'HS256');
    await expectInvalidToken(
      await meViaJwks(bearer(await idpToken({ sub }, 'idp-ec', { issuer: LOCAL_ISSUER })), url),
      'issuer',
    );
    // With a JWKS configured, the development key is not trusted.
    await expectInvalidToken(
      await meViaJwks(bearer(await signToken({ sub }, { issuer: IDP_ISSUER })), url),
      'local key',
    );
  });

  // An unverified email must not identify anyone: where an IdP lets anyone set an address, that would be
  // account takeover by email (the "nOAuth" class of bug).
  it('401 for an email-only token whose email the IdP marks unverified', async () => {
    const token = await idpToken({ email: userEmail('org_admin') }, 'idp-ec', { claims: { email_verified: false } });
    const res = await meViaJwks(bearer(token), url);
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('email_not_verified');
  });

  it('503 with Retry-After, not 500, when the key set endpoint never answers (3 s timeout)', async () => {
    const started = Date.now();
    const res = await meViaJwks(
      bearer(await idpToken({ sub }, 'idp-rsa')),
      coldUrl(`http://127.0.0.1:${inject('blackHolePort')}/jwks.json`),
    );
    const elapsed = Date.now() - started;
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await readProblem(res)).code).toBe('jwks_unavailable');
    // It waited for the timeout (the black hole was reached) and no longer.
    expect(elapsed).toBeGreaterThanOrEqual(2_500);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('503 with Retry-After when the key set endpoint answers 500', async () => {
    const res = await meViaJwks(
      bearer(await idpToken({ sub }, 'idp-rsa')),
      coldUrl(`${inject('jwksBaseUrl')}/broken.json`),
    );
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await readProblem(res)).code).toBe('jwks_unavailable');
  });

  // 503, not 401: a 200 that is not a key set is the identity provider's (or our configuration's) fault;
  // the token may be perfectly good, and a 401 would send clients to re-authenticate for nothing.
  it('503 when the key set endpoint answers 200 with something that is not a key set', async () => {
    const res = await meViaJwks(
      bearer(await idpToken({ sub }, 'idp-rsa')),
      coldUrl(`${inject('jwksBaseUrl')}/garbage.json`),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect((await readProblem(res)).code).toBe('jwks_unavailable');
  });
});
