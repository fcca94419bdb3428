import { env } from 'cloudflare:test';
import { exportSPKI, importJWK, type JWK, type JWTPayload } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { MAX_ACCESS_TOKEN_LENGTH } from '../../../src/auth/access-token.ts';
import type { Bindings } from '../../../src/config.ts';
import { ORG_ID, signToken } from '../auth.ts';
import { useHarness, type TestUser } from '../harness.ts';
import { call, callApp, readProblem } from '../helpers.ts';
import { score } from '../scorecard.ts';

/**
 * No malformed or hostile token ever finds a 5xx: a table of them, each answered 401 with the code it
 * deserves, against the deployed Worker (local key) and an app verifying against a remote key set.
 */

const { useUser } = useHarness();

const AUDIENCE = 'contentos-api';
const encoder = new TextEncoder();
const now = () => Math.floor(Date.now() / 1000);

function base64url(data: string | Uint8Array | ArrayBuffer): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : new Uint8Array(data);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const publicPart = ({ d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest }: JWK): JWK => rest;

/**
 * Where tokens are checked, and the trusted key that signs the well-formed ones. Each has a user of its own:
 * a user is bound to the first issuer that signs in as it.
 */
interface Verifier {
  name: string;
  /** Verifies against a key set (chosen by kid), not the single development key. */
  keySet: boolean;
  user: TestUser;
  privateJwk: () => JWK;
  issuer: string;
  request(token: string): Promise<Response>;
}

const verifiers: Verifier[] = [
  {
    name: 'local key',
    keySet: false,
    user: useUser(ORG_ID.demo, 'editor'),
    privateJwk: () => inject('localPrivateJwk'),
    issuer: 'contentos-local',
    request: (token) => call('/api/v1/me', { headers: { authorization: `Bearer ${token}` } }),
  },
  {
    name: 'remote JWKS',
    keySet: true,
    user: useUser(ORG_ID.demo, 'editor'),
    privateJwk: () => inject('jwksPrivateJwks').find((k) => k.kid === 'idp-rsa')!,
    issuer: 'https://idp.test/',
    request: (token) => {
      const overrides: Partial<Bindings> = {
        JWKS_URL: inject('jwksUrl'),
        JWT_LOCAL_PUBLIC_JWK: '',
        JWT_ISSUER: 'https://idp.test/',
      };
      return callApp(createApp(), '/api/v1/me', { headers: { authorization: `Bearer ${token}` } }, overrides);
    },
  },
];

/** A compact JWS built by hand; `sign` null leaves the signature empty, a function signs with what it likes. */
async function handMade(
  header: Record<string, unknown>,
  payload: JWTPayload | string,
  sign: ((input: Uint8Array) => Promise<ArrayBuffer>) | null,
): Promise<string> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const input = `${base64url(JSON.stringify(header))}.${base64url(body)}`;
  return `${input}.${sign ? base64url(await sign(encoder.encode(input))) : ''}`;
}

/** Signs with the verifier's trusted key, whatever the header and payload say. */
async function trustedSignature(v: Verifier) {
  const jwk = v.privateJwk();
  const key = (await importJWK(jwk, jwk.alg)) as CryptoKey;
  const params =
    jwk.kty === 'RSA'
      ? { name: 'RSASSA-PKCS1-v1_5' }
      : jwk.kty === 'EC'
        ? { name: 'ECDSA', hash: 'SHA-256' }
        : { name: 'Ed25519' };
  return (input: Uint8Array) => crypto.subtle.sign(params, key, input);
}

async function hmacWith(secret: string | Uint8Array) {
  const bytes = typeof secret === 'string' ? encoder.encode(secret) : secret;
  const key = await crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return (input: Uint8Array) => crypto.subtle.sign('HMAC', key, input);
}

interface Case {
  label: string;
  code: string;
  /** A key set chooses by kid; the single development key is used whatever the kid says. */
  keySetOnly?: boolean;
  token(v: Verifier): Promise<string>;
}

const headerOf = (v: Verifier, extra: Record<string, unknown> = {}) => ({
  alg: v.privateJwk().alg,
  kid: v.privateJwk().kid,
  typ: 'at+jwt',
  ...extra,
});
const claimsOf = (v: Verifier, extra: JWTPayload = {}): JWTPayload => ({
  sub: v.user.id,
  iss: v.issuer,
  aud: AUDIENCE,
  iat: now(),
  exp: now() + 600,
  ...extra,
});
const signed = (v: Verifier, options: Parameters<typeof signToken>[1] = {}, claims: JWTPayload = {}) =>
  signToken({ sub: v.user.id }, { privateJwk: v.privateJwk(), issuer: v.issuer, ...options, claims });

const cases: Case[] = [
  {
    label: 'alg none, unsigned',
    code: 'invalid_token',
    token: (v) => handMade(headerOf(v, { alg: 'none' }), claimsOf(v), null),
  },
  {
    label: 'HS256 with the public JWK as the HMAC secret',
    code: 'invalid_token',
    token: async (v) =>
      handMade(headerOf(v, { alg: 'HS256' }), claimsOf(v), await hmacWith(JSON.stringify(publicPart(v.privateJwk())))),
  },
  {
    label: 'HS256 with the public key PEM as the HMAC secret',
    code: 'invalid_token',
    token: async (v) => {
      const jwk = v.privateJwk();
      const pem = await exportSPKI((await importJWK(publicPart(jwk), jwk.alg, { extractable: true })) as CryptoKey);
      return handMade(headerOf(v, { alg: 'HS256' }), claimsOf(v), await hmacWith(pem));
    },
  },
  { label: 'a wrong issuer', code: 'invalid_token', token: (v) => signed(v, { issuer: 'https://evil.example/' }) },
  { label: 'a wrong audience', code: 'invalid_token', token: (v) => signed(v, { audience: 'another-api' }) },
  { label: 'typ JWT (not an access token type here)', code: 'invalid_token', token: (v) => signed(v, { typ: 'JWT' }) },
  { label: 'typ missing', code: 'invalid_token', token: (v) => signed(v, { typ: null }) },
  { label: 'typ of an OIDC logout token', code: 'invalid_token', token: (v) => signed(v, { typ: 'logout+jwt' }) },
  {
    label: 'typ that is not a string',
    code: 'invalid_token',
    token: async (v) => handMade(headerOf(v, { typ: 7 }), claimsOf(v), await trustedSignature(v)),
  },
  { label: 'expired beyond the tolerance', code: 'invalid_token', token: (v) => signed(v, { expiresIn: now() - 120 }) },
  { label: 'nbf in the future', code: 'invalid_token', token: (v) => signed(v, { notBefore: now() + 600 }) },
  {
    label: 'exp that is not a number',
    code: 'invalid_token',
    token: async (v) =>
      handMade(headerOf(v), claimsOf(v, { exp: 'soon' as unknown as number }), await trustedSignature(v)),
  },
  {
    label: 'iss that is not a string',
    code: 'invalid_token',
    token: async (v) => handMade(headerOf(v), claimsOf(v, { iss: 42 as unknown as string }), await trustedSignature(v)),
  },
  {
    label: 'sub of 300 characters',
    code: 'invalid_token',
    token: (v) => signToken({ sub: 'x'.repeat(300) }, { privateJwk: v.privateJwk(), issuer: v.issuer }),
  },
  {
    label: 'a payload that is not JSON, signed by the trusted key',
    code: 'invalid_token',
    token: async (v) => handMade(headerOf(v), '{"sub":', await trustedSignature(v)),
  },
  {
    label: 'a payload that is a JSON array, signed by the trusted key',
    code: 'invalid_token',
    token: async (v) => handMade(headerOf(v), '[1,2]', await trustedSignature(v)),
  },
  {
    label: 'a header that is not JSON',
    code: 'invalid_token',
    token: async () => `${base64url('{"alg":')}.${base64url('{}')}.${base64url('sig')}`,
  },
  {
    label: 'a header that is a JSON string',
    code: 'invalid_token',
    token: async () => `${base64url('"at+jwt"')}.${base64url('{}')}.${base64url('sig')}`,
  },
  { label: 'four segments', code: 'invalid_token', token: async (v) => `${await signed(v)}.${base64url('more')}` },
  {
    label: 'a JWE-shaped token (five segments)',
    code: 'invalid_token',
    token: async () => Array.from({ length: 5 }, () => base64url('x')).join('.'),
  },
  { label: 'segments of base64url noise', code: 'invalid_token', token: async () => 'AAAA.____.----' },
  {
    label: 'a huge header (over the token limit)',
    code: 'invalid_token',
    token: async (v) =>
      handMade(headerOf(v, { pad: 'x'.repeat(MAX_ACCESS_TOKEN_LENGTH) }), claimsOf(v), await trustedSignature(v)),
  },
  {
    label: 'a large header just under the limit, signed by the trusted key',
    code: 'invalid_token',
    token: async (v) =>
      handMade(
        headerOf(v, { crit: ['pad'], pad: 'x'.repeat(MAX_ACCESS_TOKEN_LENGTH / 2) }),
        claimsOf(v),
        await trustedSignature(v),
      ),
  },
  {
    label: 'a deeply nested header',
    code: 'invalid_token',
    token: async (v) =>
      handMade(headerOf(v, { x: JSON.parse(`${'['.repeat(2000)}${']'.repeat(2000)}`) }), claimsOf(v), null),
  },
  {
    label: 'an unknown kid',
    code: 'invalid_token',
    keySetOnly: true,
    token: (v) => signed(v, { kid: `unknown-${crypto.randomUUID()}` }),
  },
  {
    label: 'a kid that is not a string',
    code: 'invalid_token',
    keySetOnly: true,
    token: async (v) => handMade(headerOf(v, { kid: { $ne: null } }), claimsOf(v), await trustedSignature(v)),
  },
  {
    label: 'an alg this API does not accept (PS256)',
    code: 'invalid_token',
    token: async (v) => handMade(headerOf(v, { alg: 'PS256' }), claimsOf(v), await trustedSignature(v)),
  },
  {
    label: 'email_verified missing, naming a user by email only',
    code: 'email_not_verified',
    token: (v) => signToken({}, { privateJwk: v.privateJwk(), issuer: v.issuer, claims: { email: v.user.email } }),
  },
  {
    label: 'email_verified false, naming a user by email only',
    code: 'email_not_verified',
    token: (v) =>
      signToken(
        {},
        { privateJwk: v.privateJwk(), issuer: v.issuer, claims: { email: v.user.email, email_verified: false } },
      ),
  },
];

describe.each(verifiers)('hostile tokens ($name): 401, never 5xx', (v) => {
  it.each(cases.filter((c) => !c.keySetOnly || v.keySet))('$label → 401 $code', async ({ token, code }) => {
    const res = await v.request(await token(v));
    // Accepted means let in: anything but a refusal (a 5xx is a failure of its own, and fails below).
    score('forged-tokens', { tried: 1, failed: res.status < 400 ? 1 : 0 });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="contentos", error="invalid_token"');
    expect((await readProblem(res)).code).toBe(code);
  });

  it('the well-formed token these are variations of is accepted (the table tests what it says)', async () => {
    const res = await v.request(await signed(v));
    expect(res.status, await res.clone().text()).toBe(200);
    const handBuilt = await v.request(await handMade(headerOf(v), claimsOf(v), await trustedSignature(v)));
    expect(handBuilt.status, await handBuilt.clone().text()).toBe(200);
  });
});

describe('the local key is never trusted where a remote key set is configured', () => {
  it('401 for a token signed by the development key under the IdP issuer', async () => {
    const [, remote] = verifiers;
    const token = await signToken(
      { sub: remote!.user.id },
      { privateJwk: inject('localPrivateJwk'), issuer: remote!.issuer },
    );
    const res = await remote!.request(token);
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('invalid_token');
    expect((env as Bindings).JWT_LOCAL_PUBLIC_JWK).toBeTruthy();
  });
});
