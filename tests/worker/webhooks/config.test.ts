import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, DEV_WEBHOOK_SECRET_KEY, loadConfig, type Bindings } from '../../../src/config.ts';

const production = {
  ...env,
  APP_ENV: 'production',
  NEON_WS_PROXY: '',
  JWKS_URL: 'https://auth.example/.well-known/jwks.json',
  JWT_ISSUER: 'https://auth.example/',
  JWT_AUDIENCE: 'contentos-api',
  WEBHOOK_SECRET_KEY: btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32)))),
  WEBHOOK_ALLOW_LOOPBACK_HTTP: 'false',
  WEBHOOK_DNS_RESOLVER_URL: 'https://cloudflare-dns.com/dns-query',
  // The tests' providers live on loopback http, which production refuses (docs/decisions/0035).
  SSO_ALLOW_LOOPBACK_HTTP: 'false',
  DELIVERY_CURSOR_SECRET: crypto.randomUUID() + crypto.randomUUID(),
} as Bindings;

describe('webhook configuration', () => {
  it('production runs with its own key, https only and a resolver', () => {
    expect(loadConfig({ ...production }).webhooks).toEqual({
      secretKey: production.WEBHOOK_SECRET_KEY,
      allowLoopbackHttp: false,
      dnsResolverUrl: 'https://cloudflare-dns.com/dns-query',
    });
  });

  it.each([
    ['no WEBHOOK_SECRET_KEY', { WEBHOOK_SECRET_KEY: '' }],
    ['the public development key', { WEBHOOK_SECRET_KEY: DEV_WEBHOOK_SECRET_KEY }],
    ['loopback http allowed', { WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true' }],
    ['no DNS resolver', { WEBHOOK_DNS_RESOLVER_URL: '' }],
  ])('production refuses to start with %s', (_label, override) => {
    expect(() => loadConfig({ ...production, ...override } as Bindings)).toThrow(ConfigurationError);
  });

  it('refuses a key that is not 32 bytes of base64, anywhere', () => {
    expect(() => loadConfig({ ...env, WEBHOOK_SECRET_KEY: 'c2hvcnQ=' } as Bindings)).toThrow(/WEBHOOK_SECRET_KEY/);
  });

  it('development and tests fall back to the fixed development key', () => {
    expect(loadConfig({ ...env } as Bindings).webhooks.secretKey).toBe(DEV_WEBHOOK_SECRET_KEY);
  });
});
