import { env } from 'cloudflare:test';
import { importJWK, SignJWT, type JWTPayload } from 'jose';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { createLogger } from '../../../src/lib/logger.ts';
import { DomainError } from '../../../src/lib/errors.ts';
import { verifyIdToken } from '../../../src/services/sign-in/id-token.ts';

/**
 * The ID token check on its own, with jose against a provider's published keys (tests/stack/jwks-server.ts):
 * the callback tests tamper with what the local provider signs; these forge what it never would (another
 * key, alg none, HS256, an access token), and pin the algorithms.
 */

const ISSUER = 'https://idp.test';
const CLIENT = 'contentos-client';
const NONCE = 'n-0123456789';
const config = loadConfig(env as Bindings);
const deps = { kv: undefined, defer: () => {}, logger: createLogger('error') };
// A query string of its own: a cold key-set cache, shared with no other test file.
const jwksUri = () => `${inject('jwksUrl')}?id-token-test`;
const key = (kid: string) => inject('jwksPrivateJwks').find((k) => k.kid === kid)!;

interface Options {
  kid?: string;
  alg?: string;
  typ?: string | null;
  omit?: string[];
}

async function idToken(claims: JWTPayload = {}, options: Options = {}): Promise<string> {
  const jwk = key(options.kid ?? 'idp-ec');
  const alg = options.alg ?? (jwk.alg as string);
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: CLIENT,
    sub: 'subject-1',
    nonce: NONCE,
    iat: now,
    exp: now + 300,
    email: 'Person@Example.com',
    email_verified: true,
    ...claims,
  };
  for (const name of options.omit ?? []) delete payload[name];
  const typ = options.typ === undefined ? 'JWT' : options.typ;
  return new SignJWT(payload)
    .setProtectedHeader({ alg, kid: jwk.kid!, ...(typ === null ? {} : { typ }) })
    .sign(await importJWK(jwk, alg));
}

const verify = (token: string, nonce = NONCE) =>
  verifyIdToken(token, { issuer: ISSUER, clientId: CLIENT, nonce, jwksUri: jwksUri() }, config, deps);

async function expectRefused(token: string | Promise<string>, detail: RegExp, nonce?: string): Promise<void> {
  const err = await verify(await token, nonce).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  expect((err as DomainError).code).toBe('sso_token_invalid');
  expect((err as DomainError).message).toMatch(detail);
}

describe('verifyIdToken', () => {
  it('accepts each pinned algorithm (ES256, RS256, EdDSA) and reads the claims a sign-in needs', async () => {
    for (const kid of ['idp-ec', 'idp-rsa', 'idp-ed25519']) {
      const claims = await verify(
        await idToken({ amr: ['pwd', 'otp', 42], acr: 'gold', auth_time: 1_800_000_000, name: 'P' }, { kid }),
      );
      expect(claims, kid).toMatchObject({
        issuer: ISSUER,
        subject: 'subject-1',
        email: 'person@example.com',
        emailVerified: true,
        amr: ['pwd', 'otp'],
        acr: 'gold',
        name: 'P',
      });
      expect(claims.authTime?.getTime()).toBe(1_800_000_000_000);
    }
  });

  it('counts an email as verified only for the boolean true', async () => {
    expect((await verify(await idToken({ email_verified: 'true' }))).emailVerified).toBe(false);
    expect((await verify(await idToken({}, { omit: ['email_verified'] }))).emailVerified).toBe(false);
  });

  it('ignores an auth_time no timestamp column can hold', async () => {
    expect((await verify(await idToken({ auth_time: 1e15 }))).authTime).toBeNull();
  });

  it('accepts several audiences only when azp names this client', async () => {
    await verify(await idToken({ aud: [CLIENT, 'other'], azp: CLIENT }));
    await expectRefused(idToken({ aud: [CLIENT, 'other'], azp: 'other' }), /azp/);
  });

  const refused: Array<[string, () => Promise<string>, RegExp]> = [
    ['another issuer', () => idToken({ iss: 'https://evil.test' }), /"iss"/],
    ['another audience', () => idToken({ aud: 'someone-else' }), /"aud"/],
    ['no nonce', () => idToken({}, { omit: ['nonce'] }), /nonce/],
    ['another nonce', () => idToken({ nonce: 'replayed' }), /nonce/],
    ['an expired token', () => idToken({ exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ['no issued-at', () => idToken({}, { omit: ['iat'] }), /"iat"/],
    ['a subject over 255 characters', () => idToken({ sub: 'x'.repeat(256) }), /"sub"/],
    ['an access token (typ at+jwt)', () => idToken({}, { typ: 'at+jwt' }), /typ/],
    [
      'a key the provider does not publish',
      async () => {
        const { privateKey } = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
          'sign',
          'verify',
        ])) as CryptoKeyPair;
        return new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 's', nonce: NONCE })
          .setProtectedHeader({ alg: 'ES256', kid: 'idp-ec' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(privateKey);
      },
      /signature/,
    ],
    [
      'alg none',
      async () => {
        const encode = (value: object) =>
          btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
        const now = Math.floor(Date.now() / 1000);
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ iss: ISSUER, aud: CLIENT, sub: 's', nonce: NONCE, iat: now, exp: now + 60 })}.`;
      },
      /signature|algorithm/,
    ],
    [
      'HS256 keyed with public key material',
      async () => {
        const secret = new TextEncoder().encode(JSON.stringify(key('idp-rsa')).slice(0, 64));
        return new SignJWT({ iss: ISSUER, aud: CLIENT, sub: 's', nonce: NONCE })
          .setProtectedHeader({ alg: 'HS256', kid: 'idp-rsa' })
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(secret);
      },
      /signature|algorithm/,
    ],
    ['garbage', async () => 'not.a.jwt', /not a JWT|signature/],
  ];
  for (const [what, token, detail] of refused) {
    it(`refuses ${what} (401 sso_token_invalid)`, async () => {
      await expectRefused(token(), detail);
    });
  }

  it('refuses an algorithm the deployment does not pin (JWT_ALGORITHMS)', async () => {
    const esOnly = loadConfig({ ...(env as Bindings), JWT_ALGORITHMS: 'ES256' });
    const token = await idToken({}, { kid: 'idp-rsa' });
    const err = await verifyIdToken(
      token,
      { issuer: ISSUER, clientId: CLIENT, nonce: NONCE, jwksUri: jwksUri() },
      esOnly,
      deps,
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as DomainError).code).toBe('sso_token_invalid');
  });
});
