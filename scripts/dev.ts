/**
 * `npm run dev`: one command from a fresh clone. Starts what is missing (embedded PGlite when
 * DATABASE_URL is unset, the WebSocket proxy, the Upstash endpoint), migrates, seeds `demo` and
 * `globex`, writes the local signing key, and runs `wrangler dev` on port 8787. Ctrl-C stops it all.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEV_WEBHOOK_SECRET_KEY } from '../src/config.ts';
import { buildAdminApp, copyStaticFiles, watchAdminApp } from './local/admin-assets.ts';
import { ensureLocalKey, LOCAL_AUDIENCE, LOCAL_ISSUER, LOCAL_OIDC_PORT } from './local/keys.ts';
import { startOidcProvider } from './local/oidc-provider.ts';
import {
  DATA_DIR,
  DEFAULT_REDIS_URL,
  DEFAULT_UPSTASH_TOKEN,
  DEV_ENV_PATH,
  LOCAL_KEY_PATH,
  PGLITE_DIR,
  PGLITE_LOCK,
  ROOT,
  WRANGLER_STATE_DIR,
} from './local/paths.ts';
import { acquirePgliteLock } from './local/pglite-lock.ts';
import { freePort } from './local/ports.ts';
import { withDatabase } from './local/postgres.ts';
import { seedDemoData } from './local/seed.ts';
import { localSsoClients, seededPickableUsers, seedLocalSso } from './local/seed-sso.ts';
import { databasePlanFromEnv, startStack, type StackPlan } from './local/stack.ts';

const log = (msg: string) => console.log(`[dev] ${msg}`);
const port = Number(process.env.PORT ?? 8787);

async function main() {
  mkdirSync(DATA_DIR, { recursive: true });
  const givenUrl = process.env.DATABASE_URL?.trim() || undefined;
  let releaseLock = () => {};
  const plan: StackPlan = {
    database: databasePlanFromEnv(givenUrl, { port: await freePort(), dataDir: PGLITE_DIR }),
    proxyPort: Number(process.env.WS_PROXY_PORT ?? 0) || (await freePort()),
    upstash: {
      port: Number(process.env.UPSTASH_PORT ?? 0) || (await freePort()),
      token: process.env.UPSTASH_TOKEN ?? DEFAULT_UPSTASH_TOKEN,
      redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
    },
    migrate: true,
  };
  if (plan.database.kind === 'pglite') releaseLock = acquirePgliteLock(PGLITE_LOCK);
  log(givenUrl ? `using DATABASE_URL (${new URL(givenUrl).host})` : 'DATABASE_URL is not set: using embedded PGlite');

  const stack = await startStack(plan, log);
  const counts = await withDatabase(stack.databaseUrl, stack.neonWsProxy, seedDemoData);
  log(
    `seeded ${counts.organizations} organizations (demo, globex), ${counts.users} users, ${counts.content} content items`,
  );
  const upstash = stack.upstash!;
  log(`upstash endpoint ${upstash.url} (backed by ${upstash.backend === 'redis' ? 'redis-server' : 'memory'})`);

  const key = await ensureLocalKey(LOCAL_KEY_PATH);
  // The organizations' identity provider: sign in at /auth/demo/login, pick a seeded user (ADR 0035).
  await withDatabase(stack.databaseUrl, stack.neonWsProxy, (db) =>
    seedLocalSso(db, LOCAL_ISSUER, DEV_WEBHOOK_SECRET_KEY),
  );
  const oidc = await startOidcProvider({
    port: LOCAL_OIDC_PORT,
    signingKey: key.privateJwk,
    clients: localSsoClients(),
    users: seededPickableUsers(),
  }).catch((err: unknown) => {
    throw new Error(`the local identity provider could not listen on ${LOCAL_ISSUER} (set OIDC_PORT): ${String(err)}`);
  });
  log(`identity provider ${oidc.issuer} (demo and globex sign in through it)`);
  const vars: Record<string, string> = {
    APP_ENV: 'development',
    // The application role on PostgreSQL; on PGlite the one superuser session (docs/decisions/0030).
    DATABASE_URL: stack.appDatabaseUrl,
    NEON_WS_PROXY: stack.neonWsProxy ?? '',
    UPSTASH_REDIS_REST_URL: upstash.url,
    UPSTASH_REDIS_REST_TOKEN: upstash.token,
    JWT_ISSUER: LOCAL_ISSUER,
    JWT_AUDIENCE: LOCAL_AUDIENCE,
    JWT_LOCAL_PUBLIC_JWK: JSON.stringify(key.publicJwk),
  };
  mkdirSync(dirname(DEV_ENV_PATH), { recursive: true });
  writeFileSync(
    DEV_ENV_PATH,
    `${Object.entries(vars)
      .map(([k, v]) => `${k}='${v}'`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );

  // The admin app: built once before wrangler starts (so /admin/ works at once), then rebuilt on every change.
  copyStaticFiles();
  log('building the admin app');
  if (!buildAdminApp()) throw new Error('the admin app did not build (see above)');
  const viteWatch = watchAdminApp();

  const base = `http://127.0.0.1:${port}`;
  console.log(
    [
      '',
      'ContentOS is starting:',
      `  Admin app       ${base}/admin/   (sign in as any seeded user of demo or globex)`,
      `  API             ${base}`,
      `  Health          ${base}/health`,
      `  OpenAPI         ${base}/openapi.json`,
      `  API reference   ${base}/docs`,
      `  Run the cron    ${base}/cdn-cgi/handler/scheduled?cron=*+*+*+*+*`,
      `  Sign in         ${base}/auth/demo/login   (the local provider lists the seeded users)`,
      '  Token           npm run -s token -- --role editor --org demo',
      '',
    ].join('\n'),
  );

  const wrangler = spawn(
    'wrangler',
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--env-file',
      DEV_ENV_PATH,
      '--persist-to',
      WRANGLER_STATE_DIR,
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );

  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (wrangler.exitCode === null) wrangler.kill('SIGINT');
    if (viteWatch.exitCode === null) viteWatch.kill('SIGINT');
    await oidc.close().catch(() => {});
    await stack.stop();
    releaseLock();
    log('stopped');
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  wrangler.on('exit', (code) => void shutdown(code ?? 0));
}

main().catch((err: unknown) => {
  console.error(`[dev] failed to start: ${err instanceof Error ? err.stack : String(err)}`);
  process.exit(1);
});
