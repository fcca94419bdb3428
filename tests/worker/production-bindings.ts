import { env } from 'cloudflare:test';
import type { Bindings } from '../../src/config.ts';

/**
 * The test bindings turned into a configuration production accepts: every setting production requires, and
 * none of the local-only allowances (loopback http for webhooks and identity providers). Configuration
 * tests start here and change one thing, so a new production requirement is added once, not in every file.
 */
export const productionBindings = {
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
  // Production refuses to start without it (docs/decisions/0031).
  DELIVERY_CURSOR_SECRET: crypto.randomUUID() + crypto.randomUUID(),
} as Bindings;
