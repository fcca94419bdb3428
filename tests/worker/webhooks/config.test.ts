import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, DEV_WEBHOOK_SECRET_KEY, loadConfig, type Bindings } from '../../../src/config.ts';
import { productionBindings } from '../production-bindings.ts';

const production = productionBindings;

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
