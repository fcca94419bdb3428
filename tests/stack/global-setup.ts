import net from 'node:net';
import type { TestProject } from 'vitest/node';
import type { JWK } from 'jose';
import { withDatabase } from '../../scripts/local/postgres.ts';
import { seedDemoData } from '../../scripts/local/seed.ts';
import { startOidcProvider } from '../../scripts/local/oidc-provider.ts';
import { startStack } from '../../scripts/local/stack.ts';
import { hostPort } from '../../scripts/local/postgres.ts';
import { startFaultProxy } from './fault-proxy.ts';
import { startJwksServer } from './jwks-server.ts';
import { REGISTERED_OIDC_CLIENT } from './oidc-clients.ts';
import { readTestPlan } from './plan.ts';
import { startWebhookReceiver } from './webhook-receiver.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The owner's connection; the Worker's own (DATABASE_URL) is the application role (docs/decisions/0030). */
    databaseUrl: string;
    neonWsProxy: string;
    upstashUrl: string;
    upstashToken: string;
    redisBackend: 'redis' | 'memory';
    blackHolePort: number;
    /** postgres: a real server; pglite: one embedded session, so no two transactions run at once. */
    databaseKind: 'postgres' | 'pglite';
    localPrivateJwk: JWK;
    jwksUrl: string;
    jwksBaseUrl: string;
    jwksPrivateJwks: JWK[];
    /** Base URL of the webhook receiver (`/hooks/…`, `/_recorded/…`). */
    webhookReceiverUrl: string;
    /** Issuer of the local OpenID Connect provider (tests/worker/sso/browser.ts drives it). */
    oidcIssuer: string;
    /** PostgreSQL that dies mid-flight on request (tests/stack/fault-proxy.ts): its port and control URL. */
    faultProxy: { port: number; controlUrl: string };
    /** Size of the If-Match race (tests/worker/content/if-match-race.test.ts): IF_MATCH_ROUNDS × IF_MATCH_WRITERS. */
    ifMatchRace: { rounds: number; writers: number };
    /** VITE_WORKFLOW_PROPERTY_SEED, to replay the workflow property test (null: a random seed). */
    workflowPropertySeed: number | null;
  }
}

/** The projects that run against this stack. */
const STACK_PROJECTS = ['worker', 'node'];

/** Starts the database, the WebSocket proxy and the Upstash endpoint the plan names; migrates. */
export default async function setup(project: TestProject) {
  // The browser suite runs `npm run dev` of its own (tests/browser/global-setup.ts): alone, it needs none of this.
  if (!project.vitest.projects.some((p) => STACK_PROJECTS.includes(p.name))) return;
  const plan = readTestPlan();
  console.log(`[tests] database: ${plan.description}`);
  const stack = await startStack(plan.stack, (msg) => {
    if (process.env.TEST_STACK_VERBOSE) console.log(`[tests] ${msg}`);
  });
  // The seeded organizations (demo, globex) and their users, as `npm run dev` has them.
  await withDatabase(stack.databaseUrl, stack.neonWsProxy, seedDemoData);
  const upstash = stack.upstash!;
  console.log(`[tests] upstash endpoint backed by ${upstash.backend === 'redis' ? 'redis-server' : 'memory'}`);
  project.provide('databaseUrl', stack.databaseUrl);
  project.provide('databaseKind', plan.stack.database.kind === 'pglite' ? 'pglite' : 'postgres');
  project.provide('neonWsProxy', stack.neonWsProxy ?? '');
  project.provide('upstashUrl', upstash.url);
  project.provide('upstashToken', upstash.token);
  project.provide('redisBackend', upstash.backend);

  // Accepts and holds connections without a byte in reply, so timeouts can be tested for real.
  const held = new Set<net.Socket>();
  const blackHole = net.createServer((socket) => {
    held.add(socket);
    socket.on('close', () => held.delete(socket));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => blackHole.listen(plan.blackHolePort, '127.0.0.1', resolve));
  project.provide('blackHolePort', plan.blackHolePort);

  const jwks = await startJwksServer(
    plan.jwks.port,
    plan.jwks.keys.map((k) => k.publicJwk),
  );
  project.provide('localPrivateJwk', plan.localKey.privateJwk);
  project.provide('jwksBaseUrl', `http://127.0.0.1:${plan.jwks.port}`);
  project.provide('jwksUrl', `http://127.0.0.1:${plan.jwks.port}/jwks.json`);
  project.provide(
    'jwksPrivateJwks',
    plan.jwks.keys.map((k) => k.privateJwk),
  );

  const receiver = await startWebhookReceiver(plan.webhookReceiverPort);
  project.provide('webhookReceiverUrl', `http://127.0.0.1:${plan.webhookReceiverPort}`);

  // The same provider `npm run dev` runs; each test tenant registers a client of its own, so any is accepted,
  // except the one registered client whose secret the tests get wrong on purpose.
  const oidc = await startOidcProvider({
    port: plan.oidcPort,
    clients: { [REGISTERED_OIDC_CLIENT.id]: REGISTERED_OIDC_CLIENT.secret },
    acceptUnknownClients: true,
  });
  project.provide('oidcIssuer', oidc.issuer);
  const faults = await startFaultProxy({
    upstream: hostPort(plan.databaseUrl),
    port: plan.faultProxy.port,
    controlPort: plan.faultProxy.controlPort,
  });
  project.provide('faultProxy', {
    port: plan.faultProxy.port,
    controlUrl: `http://127.0.0.1:${plan.faultProxy.controlPort}`,
  });

  project.provide('ifMatchRace', {
    rounds: positiveInteger('IF_MATCH_ROUNDS', 5),
    writers: positiveInteger('IF_MATCH_WRITERS', 50),
  });

  const seed = process.env.VITE_WORKFLOW_PROPERTY_SEED;
  project.provide('workflowPropertySeed', seed ? Number(seed) : null);

  return async () => {
    for (const socket of held) socket.destroy();
    blackHole.close();
    await jwks.close();
    await receiver.close();
    await oidc.close();
    await faults.close();
    await stack.stop();
  };
}

/** A size from the environment (`npm run reliability` sets them), or its default for `npm test`. */
function positiveInteger(name: string, fallback: number): number {
  const given = process.env[name];
  if (given === undefined || given === '') return fallback;
  const value = Number(given);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${given}`);
  return value;
}
