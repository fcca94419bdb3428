import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { fuzzSettings } from './tests/stack/fuzz-settings.ts';
import { planTestStack } from './tests/stack/plan.ts';
import { POSTGRES_TAG } from './tests/stack/skip-report.ts';

export default defineConfig(async () => {
  const plan = await planTestStack();
  const tags = [
    {
      name: POSTGRES_TAG,
      description: 'needs a real PostgreSQL (two sessions at once): skipped on embedded PGlite, listed at the end',
      skip: plan.stack.database.kind === 'pglite',
    },
  ];
  return {
    test: {
      globalSetup: ['./tests/stack/global-setup.ts'],
      reporters: ['default', './tests/stack/skip-report.ts', './tests/stack/scorecard-report.ts'],
      projects: [
        {
          // The Worker inside workerd, with the real bindings from wrangler.toml pointed at the test stack.
          plugins: [
            cloudflareTest({
              wrangler: { configPath: './wrangler.toml' },
              miniflare: {
                bindings: {
                  APP_ENV: 'test',
                  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
                  DATABASE_URL: plan.appDatabaseUrl,
                  NEON_WS_PROXY: plan.neonWsProxy,
                  UPSTASH_REDIS_REST_URL: plan.upstashUrl,
                  UPSTASH_REDIS_REST_TOKEN: plan.upstashToken,
                  HEALTH_TIMEOUT_MS: '3000',
                  JWT_ISSUER: 'contentos-local',
                  JWT_AUDIENCE: 'contentos-api',
                  JWT_LOCAL_PUBLIC_JWK: JSON.stringify(plan.localKey.publicJwk),
                  JWKS_URL: '',
                  RATE_LIMIT_PREFIX: plan.rateLimitPrefix,
                  // High enough that the suite's own traffic never trips it; limit tests set their own.
                  API_RATE_LIMIT_PER_MINUTE: '100000',
                  // Likewise: the suite's requests carry no CF-Connecting-IP, so they all count as one address.
                  DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE: '10000000',
                  DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE: '10000000',
                  AUTH_FAILURE_LIMIT_PER_IP: '10000000',
                  ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE: '10000000',
                  ENGAGEMENT_EVENTS_PER_IP_PER_HOUR: '10000000',
                  ENGAGEMENT_EVENTS_PER_TOKEN_PER_MINUTE: '10000000',
                  ENGAGEMENT_EVENTS_PER_TOKEN_PER_HOUR: '10000000',
                  // Webhooks reach the loopback receiver over http; host names resolve through its stand-in DoH.
                  WEBHOOK_ALLOW_LOOPBACK_HTTP: 'true',
                  WEBHOOK_DNS_RESOLVER_URL: `http://127.0.0.1:${plan.webhookReceiverPort}/dns-query`,
                  // Organizations' SSO points at the local provider on loopback http.
                  SSO_ALLOW_LOOPBACK_HTTP: 'true',
                },
              },
            }),
          ],
          test: {
            name: 'worker',
            include: ['tests/worker/**/*.test.ts'],
            testTimeout: 30_000,
            hookTimeout: 60_000,
            tags,
            // Seed and budget of tests/worker/fuzz, from FUZZ_SEED / FUZZ_REQUESTS / FUZZ_LANES.
            provide: fuzzSettings(),
          },
        },
        {
          // Local-stack tools and checks that need Node (the WebSocket proxy, the Upstash endpoint).
          test: { name: 'node', include: ['tests/node/**/*.test.ts'], environment: 'node', testTimeout: 30_000, tags },
        },
        {
          // The product in Chromium, as a person uses it: `npm run dev` on free ports and a fresh database
          // (tests/browser/global-setup.ts). One browser and one stack at a time: files run one after another.
          test: {
            name: 'browser',
            include: ['tests/browser/**/*.test.ts'],
            environment: 'node',
            globalSetup: ['./tests/browser/global-setup.ts'],
            fileParallelism: false,
            testTimeout: 120_000,
            hookTimeout: 300_000,
          },
        },
      ],
    },
  };
});
