import { describe, expect, it } from 'vitest';
import type { Authentication } from '../../src/auth/authentication.ts';
import { authenticationClaims } from '../../src/auth/authentication.ts';
import {
  assertMfa,
  DEFAULT_MFA_POLICY,
  mfaSatisfied,
  type MfaPolicy,
  type MfaRequirement,
} from '../../src/auth/mfa.ts';
import type { Principal } from '../../src/auth/principal.ts';
import {
  ConfigurationError,
  DEFAULT_MFA_ACR_VALUES,
  DEFAULT_MFA_AMR_VALUES,
  loadConfig,
  type Bindings,
} from '../../src/config.ts';
import { errorToProblem } from '../../src/lib/error-mapping.ts';
import { DomainError } from '../../src/lib/errors.ts';

const recognition = { amrValues: DEFAULT_MFA_AMR_VALUES, acrValues: DEFAULT_MFA_ACR_VALUES };
const NOW = new Date('2030-01-01T12:00:00Z');
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000);

const auth = (overrides: Partial<Authentication> = {}): Authentication => ({
  via: 'bearer',
  credentialDigest: 'd'.repeat(64),
  expiresAt: new Date(NOW.getTime() + 600_000),
  amr: [],
  acr: undefined,
  authTime: undefined,
  secondFactorAt: undefined,
  ...overrides,
});

const requirement = (overrides: Partial<MfaRequirement> = {}): MfaRequirement => ({
  maxAgeSeconds: null,
  builtInTotp: true,
  recognition,
  ...overrides,
});

describe('mfaSatisfied (src/auth/mfa.ts): the one check tokens and sessions share', () => {
  it.each<[string, Partial<Authentication>, Partial<MfaRequirement>, boolean]>([
    ['nothing', {}, {}, false],
    ['a password', { amr: ['pwd'] }, {}, false],
    ['amr mfa', { amr: ['mfa'] }, {}, true],
    ['amr pwd+otp', { amr: ['pwd', 'otp'] }, {}, true],
    ['a passkey (hwk)', { amr: ['hwk', 'user'] }, {}, true],
    ['the PAPE multi-factor acr', { acr: DEFAULT_MFA_ACR_VALUES[0] }, {}, true],
    ['another acr', { acr: 'urn:example:loa:1' }, {}, false],
    ['a built-in verification', { secondFactorAt: ago(10) }, {}, true],
    ['a built-in verification where built-in TOTP is off', { secondFactorAt: ago(10) }, { builtInTotp: false }, false],
    ['amr mfa within max_age', { amr: ['mfa'], authTime: ago(299) }, { maxAgeSeconds: 300 }, true],
    ['amr mfa beyond max_age', { amr: ['mfa'], authTime: ago(301) }, { maxAgeSeconds: 300 }, false],
    ['amr mfa without auth_time under max_age', { amr: ['mfa'] }, { maxAgeSeconds: 300 }, false],
    [
      'an old sign-in, a recent built-in code',
      { amr: ['mfa'], authTime: ago(900), secondFactorAt: ago(5) },
      { maxAgeSeconds: 300 },
      true,
    ],
    ['a built-in code beyond max_age', { secondFactorAt: ago(301) }, { maxAgeSeconds: 300 }, false],
    ['a recent sign-in without a second factor', { amr: ['pwd'], authTime: ago(1) }, { maxAgeSeconds: 300 }, false],
  ])('%s → %s', (_label, evidence, required, expected) => {
    expect(mfaSatisfied(auth(evidence), requirement(required), NOW)).toBe(expected);
  });
});

const principal = (role: Principal['role'], authentication?: Authentication): Principal => ({
  type: 'user',
  id: 'u',
  userId: 'u',
  email: null,
  role,
  permissions: [],
  homeOrganizationId: 'o',
  ...(authentication ? { authentication } : {}),
});

function refusalOf(run: () => void): DomainError {
  try {
    run();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('not refused');
}

const respond = (err: unknown) =>
  errorToProblem(err, { requestId: 'r', path: '/api/v1/x', origin: 'https://api.example', log: () => {} });

describe('assertMfa: who is asked, and the refusal', () => {
  const policy: MfaPolicy = { ...DEFAULT_MFA_POLICY, maxAgeSeconds: 600 };

  it('asks the listed roles and super_admin always; never an API key', () => {
    const none = auth();
    for (const role of ['super_admin', 'org_admin'] as const)
      expect(() => assertMfa(principal(role, none), DEFAULT_MFA_POLICY, recognition, NOW), role).toThrow(DomainError);
    for (const role of ['editor', 'approver', 'viewer'] as const)
      expect(() => assertMfa(principal(role, none), DEFAULT_MFA_POLICY, recognition, NOW), role).not.toThrow();
    const onlyEditors: MfaPolicy = { ...DEFAULT_MFA_POLICY, requiredRoles: ['editor'] };
    expect(() => assertMfa(principal('super_admin', none), onlyEditors, recognition, NOW)).toThrow(DomainError);
    expect(() =>
      assertMfa({ ...principal('org_admin'), type: 'api_key' }, DEFAULT_MFA_POLICY, recognition, NOW),
    ).not.toThrow();
    // A user principal that carries no evidence at all cannot pass.
    expect(() => assertMfa(principal('org_admin'), DEFAULT_MFA_POLICY, recognition, NOW)).toThrow(DomainError);
  });

  it('a bearer token gets 401 with the RFC 9470 challenge and the stepUp member', async () => {
    const res = respond(
      refusalOf(() => assertMfa(principal('org_admin', auth({ amr: ['pwd'] })), policy, recognition, NOW)),
    );
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer realm="contentos", error="insufficient_user_authentication", ' +
        'error_description="The org_admin role must use multi-factor authentication in this organization", ' +
        `acr_values="${DEFAULT_MFA_ACR_VALUES[0]}", max_age="600"`,
    );
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 401,
      code: 'insufficient_user_authentication',
      stepUp: { acrValues: [...DEFAULT_MFA_ACR_VALUES], maxAge: 600, verify: '/api/v1/me/mfa/verify', url: null },
    });
  });

  it('a session (the extension point for browser sign-in) gets the same problem, no Bearer challenge, and where to sign in again', async () => {
    const session = auth({ via: 'session', amr: ['pwd'], stepUpUrl: '/auth/demo/login' });
    const res = respond(refusalOf(() => assertMfa(principal('org_admin', session), policy, recognition, NOW)));
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBeNull();
    const body = (await res.json()) as { code: string; stepUp: { url: string } };
    expect(body.code).toBe('insufficient_user_authentication');
    const url = new URL(body.stepUp.url, 'https://api.example');
    expect(url.pathname).toBe('/auth/demo/login');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      prompt: 'login',
      acr_values: DEFAULT_MFA_ACR_VALUES[0],
      max_age: '600',
    });
  });

  it('says "within the last N seconds" when the second factor is there but too old', () => {
    const stale = auth({ amr: ['mfa'], authTime: ago(3600) });
    const err = refusalOf(() => assertMfa(principal('org_admin', stale), policy, recognition, NOW));
    expect(err.message).toContain('within the last 600 seconds');
  });
});

describe('authenticationClaims (src/auth/authentication.ts)', () => {
  it('reads amr, acr and auth_time, and ignores them when they are not of the registered shape', () => {
    expect(
      authenticationClaims({ amr: ['pwd', 'otp'], acr: 'x', auth_time: 1_900_000_000, exp: 1_900_000_600 }),
    ).toEqual({
      amr: ['pwd', 'otp'],
      acr: 'x',
      authTime: new Date(1_900_000_000_000),
      expiresAt: new Date(1_900_000_600_000),
    });
    for (const claims of [
      { amr: 'mfa' },
      { amr: [1] },
      { amr: [''] },
      { acr: 7 },
      { acr: '' },
      { auth_time: '1' },
      { auth_time: -5 },
    ]) {
      const read = authenticationClaims({ exp: 1_900_000_600, ...claims });
      expect(read.amr, JSON.stringify(claims)).toEqual([]);
      expect(read.acr).toBeUndefined();
      expect(read.authTime).toBeUndefined();
    }
  });
});

describe('MFA configuration', () => {
  const base = { APP_ENV: 'test', MAX_BODY_BYTES: '1048576', HEALTH_TIMEOUT_MS: '2000' } as unknown as Bindings;

  it('defaults: RFC 8176 second factors, the PAPE multi-factor acr, 5 attempts a minute', () => {
    expect(loadConfig({ ...base }).mfa).toEqual({
      recognition: { amrValues: [...DEFAULT_MFA_AMR_VALUES], acrValues: [...DEFAULT_MFA_ACR_VALUES] },
      verifyAttemptsPerMinute: 5,
      totpIssuer: 'ContentOS',
    });
  });

  it('takes its own lists, and refuses an acr the challenge header could not carry unescaped', () => {
    const own = loadConfig({ ...base, MFA_AMR_VALUES: 'mfa, hwk', MFA_ACR_VALUES: 'urn:okta:loa:2fa:any' } as Bindings);
    expect(own.mfa.recognition).toEqual({ amrValues: ['mfa', 'hwk'], acrValues: ['urn:okta:loa:2fa:any'] });
    for (const acr of ['a"b', 'a\\\\b', 'a b'])
      expect(() => loadConfig({ ...base, MFA_ACR_VALUES: acr } as Bindings), acr).toThrow(ConfigurationError);
    expect(() => loadConfig({ ...base, MFA_VERIFY_ATTEMPTS_PER_MINUTE: '0' } as Bindings)).toThrow(ConfigurationError);
  });
});
