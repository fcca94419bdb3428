import { startPgliteServer } from './pglite-server.ts';
import {
  appDatabaseUrl,
  createDatabase,
  dropDatabase,
  ensureAppLogin,
  hostPort,
  isLocalDatabase,
  migrateDatabase,
} from './postgres.ts';
import { startUpstashServer } from './upstash/http.ts';
import { startWsProxy } from './ws-proxy.ts';

/**
 * What `npm run dev` and the test suite start around the Worker: a database (a given PostgreSQL, a
 * fresh database on it, or embedded PGlite), the WebSocket proxy the Neon driver reaches it through,
 * and the Upstash REST endpoint. The plan is decided first (ports, names) so that the Worker's bindings
 * can be written before anything starts.
 */
export type DatabasePlan =
  | { kind: 'pglite'; port: number; dataDir?: string }
  | { kind: 'postgres'; url: string; createFrom?: { adminUrl: string; name: string } }
  | { kind: 'remote'; url: string };

export interface StackPlan {
  database: DatabasePlan;
  proxyPort: number;
  /** Omitted by tools that only need the database (db:migrate). */
  upstash?: { port: number; token: string; redisUrl?: string };
  migrate: boolean;
  /** More host:port targets the proxy may reach (the test suite's silent server). */
  extraProxyTargets?: string[];
}

export interface RunningStack {
  /** The owner's connection: migrations, seeding, tests that need the owner's powers. */
  databaseUrl: string;
  /** The Worker's connection (planAppDatabaseUrl). */
  appDatabaseUrl: string;
  /** Undefined for a remote (Neon) database, which the driver reaches directly over TLS. */
  neonWsProxy: string | undefined;
  upstash: { url: string; token: string; backend: 'redis' | 'memory' } | undefined;
  stop(): Promise<void>;
}

/**
 * The database `npm run dev` and `npm run db:migrate` use: DATABASE_URL when given (through the proxy
 * when it is local, directly when it is Neon), else the embedded PGlite under .data/.
 */
export function databasePlanFromEnv(
  givenUrl: string | undefined,
  pglite: { port: number; dataDir: string },
): DatabasePlan {
  const url = givenUrl?.trim();
  if (!url) return { kind: 'pglite', ...pglite };
  return isLocalDatabase(url) ? { kind: 'postgres', url } : { kind: 'remote', url };
}

export function planDatabaseUrl(plan: DatabasePlan): string {
  return plan.kind === 'pglite' ? `postgres://postgres@127.0.0.1:${plan.port}/postgres` : plan.url;
}

/**
 * What the Worker connects with: on a PostgreSQL server, the login role of contentos_app, which may not
 * alter the audit log (docs/decisions/0030). PGlite serves every connection as its one superuser session,
 * whatever the user name, so there the Worker runs as the owner. A remote (Neon) URL is used as given:
 * production sets the Worker's DATABASE_URL to its own login role (README "Database roles").
 */
export function planAppDatabaseUrl(plan: DatabasePlan): string {
  return plan.kind === 'postgres' ? appDatabaseUrl(plan.url) : planDatabaseUrl(plan);
}

export const planNeonWsProxy = (plan: StackPlan) =>
  plan.database.kind === 'remote' ? undefined : `127.0.0.1:${plan.proxyPort}/v2`;

export async function startStack(plan: StackPlan, log: (msg: string) => void): Promise<RunningStack> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse()) await fn().catch((err: unknown) => log(`stop: ${String(err)}`));
  };
  try {
    const databaseUrl = planDatabaseUrl(plan.database);
    if (plan.database.kind === 'pglite') {
      const pglite = await startPgliteServer({
        port: plan.database.port,
        ...(plan.database.dataDir ? { dataDir: plan.database.dataDir } : {}),
      });
      stops.push(pglite.close);
      log(
        `embedded PGlite on 127.0.0.1:${pglite.port}${plan.database.dataDir ? ` (data in ${plan.database.dataDir})` : ' (in memory)'}`,
      );
    }

    let neonWsProxy: string | undefined;
    if (plan.database.kind !== 'remote') {
      const targets = [hostPort(databaseUrl).target, ...(plan.extraProxyTargets ?? [])];
      if (plan.database.kind === 'postgres' && plan.database.createFrom)
        targets.push(hostPort(plan.database.createFrom.adminUrl).target);
      const proxy = await startWsProxy({
        port: plan.proxyPort,
        allowedTargets: targets,
        serializeSessions: plan.database.kind === 'pglite',
        poolSessions: plan.database.kind === 'postgres',
        log,
      });
      stops.push(proxy.close);
      neonWsProxy = proxy.neonWsProxy;
    } else if (isLocalDatabase(databaseUrl)) {
      throw new Error('a remote database plan was given a local URL');
    }

    if (plan.database.kind === 'postgres' && plan.database.createFrom) {
      const { adminUrl, name } = plan.database.createFrom;
      await createDatabase(adminUrl, neonWsProxy, name);
      stops.push(() => dropDatabase(adminUrl, neonWsProxy, name));
      log(`created database ${name}`);
    }

    if (plan.migrate) {
      await migrateDatabase(databaseUrl, neonWsProxy);
      log('migrations applied');
      if (plan.database.kind === 'postgres') {
        await ensureAppLogin(databaseUrl, neonWsProxy);
        log('the Worker connects as the application role');
      }
    }

    let upstash: RunningStack['upstash'];
    if (plan.upstash) {
      const server = await startUpstashServer({
        port: plan.upstash.port,
        token: plan.upstash.token,
        ...(plan.upstash.redisUrl ? { redisUrl: plan.upstash.redisUrl } : {}),
        log,
      });
      stops.push(server.close);
      upstash = { url: server.url, token: plan.upstash.token, backend: server.backend };
    }

    return { databaseUrl, appDatabaseUrl: planAppDatabaseUrl(plan.database), neonWsProxy, upstash, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
