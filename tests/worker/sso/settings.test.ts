import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, loadConfig, type Bindings } from '../../../src/config.ts';
import { productionBindings } from '../production-bindings.ts';

/** The session and SSO settings (wrangler.toml [vars]) and what the Worker refuses to start with. */

const production = productionBindings;

const unset = {
  SESSION_IDLE_TIMEOUT_SECONDS: undefined,
  SESSION_ABSOLUTE_TIMEOUT_SECONDS: undefined,
  SSO_LOGIN_TIMEOUT_SECONDS: undefined,
  SSO_HTTP_TIMEOUT_MS: undefined,
  SSO_ALLOW_LOOPBACK_HTTP: undefined,
} as unknown as Partial<Bindings>;

describe('session and SSO settings', () => {
  it('default to 8 h idle, 24 h absolute, 10 minutes to sign in, 5 s per provider call, https only', () => {
    const config = loadConfig({ ...production, ...unset } as Bindings);
    expect(config.sessions).toEqual({ idleTimeoutMs: 28_800_000, absoluteTimeoutMs: 86_400_000 });
    expect(config.sso).toEqual({ loginTimeoutMs: 600_000, httpTimeoutMs: 5000, allowLoopbackHttp: false });
  });

  it('production refuses loopback http providers', () => {
    expect(() => loadConfig({ ...production, SSO_ALLOW_LOOPBACK_HTTP: 'true' } as Bindings)).toThrow(
      /SSO_ALLOW_LOOPBACK_HTTP/,
    );
  });

  it.each([
    [
      'an absolute timeout shorter than the idle one',
      { SESSION_IDLE_TIMEOUT_SECONDS: '7200', SESSION_ABSOLUTE_TIMEOUT_SECONDS: '3600' },
    ],
    ['an idle timeout under a minute', { SESSION_IDLE_TIMEOUT_SECONDS: '30' }],
    ['a sign-in window over an hour', { SSO_LOGIN_TIMEOUT_SECONDS: '7200' }],
    ['a provider timeout over 30 s', { SSO_HTTP_TIMEOUT_MS: '60000' }],
  ])('refuses %s, anywhere', (_label, override) => {
    expect(() => loadConfig({ ...env, ...override } as Bindings)).toThrow(ConfigurationError);
  });
});
