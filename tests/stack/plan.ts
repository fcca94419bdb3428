import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { freePort } from '../../scripts/local/ports.ts';
import { isPostgresUp, withDatabaseName } from '../../scripts/local/postgres.ts';
import { DEFAULT_REDIS_URL } from '../../scripts/local/paths.ts';
import { planAppDatabaseUrl, planDatabaseUrl, planNeonWsProxy, type StackPlan } from '../../scripts/local/stack.ts';

export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const PLAN_ENV = 'CONTENTOS_TEST_PLAN';

export interface TestPlan {
  stack: StackPlan;
  /** The owner's connection (migrations, seeding, tests that act as the owner). */
  databaseUrl: string;
  /** The Worker's DATABASE_URL: the application role on PostgreSQL (docs/decisions/0030), the owner on PGlite. */
  appDatabaseUrl: string;
  neonWsProxy: string;
  upstashUrl: string;
  upstashToken: string;
  /** A loopback port that accepts TCP connections and never answers: a dependency that hangs. */
  blackHolePort: number;
  /** The local signing key the Worker trusts (JWT_LOCAL_PUBLIC_JWK) and tests sign with. */
  localKey: { privateJwk: JWK; publicJwk: JWK };
  /** An identity provider's key set served on loopback (tests/stack/jwks-server.ts) and its private keys. */
  jwks: { port: number; keys: Array<{ privateJwk: JWK; publicJwk: JWK }> };
  /** Loopback port of the webhook receiver (tests/stack/webhook-receiver.ts), also the stand-in DoH resolver. */
  webhookReceiverPort: number;
  /** Loopback port of the local OpenID Connect provider (scripts/local/oidc-provider.ts). */
  oidcPort: number;
  /** PostgreSQL that dies mid-flight on request (tests/stack/fault-proxy.ts): its port and its control port. */
  faultProxy: { port: number; controlPort: number };
  /** Redis key namespace for this run's rate limiters. */
  rateLimitPrefix: string;
  /** What the suite runs against, said once at start. */
  description: string;
}

/**
 * Decided when vitest loads its config, before any worker starts, because the Worker's bindings must
 * name the ports; tests/stack/global-setup.ts then starts exactly this. Kept in the environment so a
 * second evaluation of the config reuses the same plan.
 */
export async function planTestStack(): Promise<TestPlan> {
  const existing = process.env[PLAN_ENV];
  if (existing) return JSON.parse(existing) as TestPlan;

  const adminUrl = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
  const forcePglite = process.env.TEST_DB === 'pglite';
  const postgresUp = !forcePglite && (await isPostgresUp(adminUrl));
  if (!postgresUp && !forcePglite && process.env.CI) {
    // PGlite serves one session, so the tests that need two at once are skipped there: CI runs them all.
    throw new Error(
      `CI runs every test, and some need PostgreSQL: none answered at ${new URL(adminUrl).host}. ` +
        'Start it (or set TEST_DATABASE_URL), or set TEST_DB=pglite to run on PGlite on purpose.',
    );
  }
  const blackHolePort = await freePort();
  const faultProxy = { port: await freePort(), controlPort: await freePort() };
  const keyPair = async (alg: 'ES256' | 'RS256' | 'EdDSA', kid: string) => {
    const { privateKey, publicKey } = await generateKeyPair(alg, {
      extractable: true,
      ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
    });
    const meta = { kid, alg, use: 'sig' };
    return {
      privateJwk: { ...(await exportJWK(privateKey)), ...meta },
      publicJwk: { ...(await exportJWK(publicKey)), ...meta },
    };
  };
  const name = `contentos_test_${randomBytes(6).toString('hex')}`;
  const stack: StackPlan = {
    database: postgresUp
      ? { kind: 'postgres', url: withDatabaseName(adminUrl, name), createFrom: { adminUrl, name } }
      : { kind: 'pglite', port: await freePort() },
    proxyPort: await freePort(),
    upstash: {
      port: await freePort(),
      token: `test-${randomBytes(8).toString('hex')}`,
      redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    },
    migrate: true,
    extraProxyTargets: [`127.0.0.1:${blackHolePort}`, `127.0.0.1:${faultProxy.port}`],
  };
  const plan: TestPlan = {
    stack,
    databaseUrl: planDatabaseUrl(stack.database),
    appDatabaseUrl: planAppDatabaseUrl(stack.database),
    neonWsProxy: planNeonWsProxy(stack)!,
    upstashUrl: `http://127.0.0.1:${stack.upstash!.port}`,
    upstashToken: stack.upstash!.token,
    blackHolePort,
    localKey: await keyPair('ES256', 'local-test'),
    jwks: {
      port: await freePort(),
      keys: [
        await keyPair('RS256', 'idp-rsa'),
        await keyPair('EdDSA', 'idp-ed25519'),
        await keyPair('ES256', 'idp-ec'),
      ],
    },
    webhookReceiverPort: await freePort(),
    oidcPort: await freePort(),
    faultProxy,
    rateLimitPrefix: `rl-test-${randomBytes(4).toString('hex')}`,
    description: postgresUp
      ? `PostgreSQL at ${new URL(adminUrl).host}, fresh database ${name}`
      : forcePglite
        ? 'embedded PGlite (TEST_DB=pglite)'
        : `embedded PGlite: no PostgreSQL answered at ${new URL(adminUrl).host} (set TEST_DATABASE_URL to use another)`,
  };
  process.env[PLAN_ENV] = JSON.stringify(plan);
  return plan;
}

export function readTestPlan(): TestPlan {
  const raw = process.env[PLAN_ENV];
  if (!raw) throw new Error(`${PLAN_ENV} is not set: run the tests through vitest.config.ts`);
  return JSON.parse(raw) as TestPlan;
}
