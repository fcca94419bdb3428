import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig, type Bindings } from '../../../src/config.ts';

/** The access token and key set settings (docs/decisions/0032): defaults, parsing and what is refused. */

const withVars = (vars: Partial<Record<keyof Bindings, string>>) => loadConfig({ ...env, ...vars } as Bindings);
const unset = {
  JWT_ACCEPTED_TYPES: '',
  JWT_ALGORITHMS: '',
  JWT_CLOCK_TOLERANCE_SECONDS: undefined,
  JWKS_CACHE_MAX_AGE_SECONDS: undefined,
  JWKS_STALE_TTL_SECONDS: undefined,
  JWKS_REFRESH_COOLDOWN_SECONDS: undefined,
  JWKS_TIMEOUT_MS: undefined,
} as unknown as Partial<Record<keyof Bindings, string>>;

describe('access token and key set configuration', () => {
  it('defaults: at+jwt only, the three asymmetric algorithms, 30 s tolerance, fresh 10 min, stale 6 h', () => {
    const config = withVars(unset);
    expect(config.jwt).toMatchObject({
      acceptedTypes: ['at+jwt'],
      algorithms: ['RS256', 'ES256', 'EdDSA'],
      clockToleranceSeconds: 30,
    });
    expect(config.jwks).toEqual({ maxAgeMs: 600_000, staleTtlMs: 21_600_000, cooldownMs: 30_000, timeoutMs: 3_000 });
  });

  it('typ values are compared as jose does: lower case, without application/', () => {
    expect(withVars({ JWT_ACCEPTED_TYPES: 'application/AT+JWT, JWT' }).jwt.acceptedTypes).toEqual(['at+jwt', 'jwt']);
  });

  it('algorithms may be narrowed, never widened to HS* or none', () => {
    expect(withVars({ JWT_ALGORITHMS: 'ES256' }).jwt.algorithms).toEqual(['ES256']);
    for (const alg of ['HS256', 'none', 'RS256,HS512', 'PS256']) {
      expect(() => withVars({ JWT_ALGORITHMS: alg }), alg).toThrow(/JWT_ALGORITHMS/);
    }
  });

  it.each([
    ['a stale window shorter than the freshness', { JWKS_CACHE_MAX_AGE_SECONDS: '600', JWKS_STALE_TTL_SECONDS: '60' }],
    ['a clock tolerance over 5 minutes', { JWT_CLOCK_TOLERANCE_SECONDS: '301' }],
    ['a zero cooldown', { JWKS_REFRESH_COOLDOWN_SECONDS: '0' }],
    ['a stale window over 7 days', { JWKS_STALE_TTL_SECONDS: String(8 * 86_400) }],
    ['a typ with spaces', { JWT_ACCEPTED_TYPES: 'at jwt' }],
  ])('refuses %s', (_label, vars) => {
    expect(() => withVars(vars)).toThrow(ConfigurationError);
  });
});
