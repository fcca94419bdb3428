import { neonConfig, Pool, type PoolClient } from '@neondatabase/serverless';
import { coalescingWebSocket } from './coalescing-websocket.ts';
import { drizzle, type NeonDatabase } from 'drizzle-orm/neon-serverless';
import type { AppConfig } from '../config.ts';
import { unavailable } from '../lib/errors.ts';
import * as schema from './schema/index.ts';

export type Database = NeonDatabase<typeof schema>;

export interface DatabaseHandle {
  db: Database;
  pool: Pool;
  /** Ends the pool; call through waitUntil so the response is not held back. */
  close(): Promise<void>;
}

/**
 * Told of every statement drizzle sends, with its parameters. Nothing listens in production (the cost is
 * one property read per statement); tests listen to count the database work a request caused, e.g. that
 * a remembered absence costs the delivery API no query at all.
 */
export const databaseObserver: { statement?: (sql: string, params: unknown[]) => void } = {};

/**
 * The same code reaches Neon in production (TLS WebSocket to Neon's endpoint) and, locally, a plain
 * WebSocket-to-TCP proxy in front of PostgreSQL or PGlite (scripts/local/ws-proxy.ts).
 * neonConfig is process-global; every isolate serves one environment, so setting it per open is safe.
 */
export function configureNeon(proxy: string | undefined): void {
  if (proxy) {
    neonConfig.wsProxy = (host, port) => `${proxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    // SCRAM authentication cannot be pipelined with the startup message.
    neonConfig.pipelineConnect = false;
  } else {
    neonConfig.wsProxy = (host) => `${host}/v2`;
    neonConfig.useSecureWebSocket = true;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = 'password';
  }
  // Writes are merged per burst by the socket itself, without the driver's 1 ms timer.
  neonConfig.coalesceWrites = false;
  neonConfig.webSocketConstructor = coalescingWebSocket as unknown as typeof WebSocket;
}

/**
 * A Pool per request: Workers cannot share sockets across requests, so connections live and die with
 * the request (or queue batch / cron run) that opened them.
 */
export function openDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'neonWsProxy'>,
  onError: (err: unknown) => void,
): DatabaseHandle {
  if (!config.databaseUrl) throw unavailable('database', { code: 'database_not_configured' });
  configureNeon(config.neonWsProxy);
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  // An idle client that loses its socket emits on the pool; without a listener that would crash the isolate.
  pool.on('error', onError);
  // A client checked out by a request (a transaction) is not listened to by the pool: its 'error' would be
  // thrown into the isolate. The statement in flight, or the next one, fails with it anyway and is handled
  // where it was sent, so here it is only noted.
  pool.on('connect', (client: PoolClient) => {
    client.on('error', (err: unknown) => {
      if (client.listenerCount('error') === 1) onError(err);
    });
  });
  // drizzle releases a transaction's client only once its BEGIN went through: a connection that dies under
  // the BEGIN leaves its client checked out for good, and pool.end() would wait for it until the runtime
  // gives up on the invocation. By the time the handle is closed its work has settled, so whatever is
  // still checked out is abandoned and is ended with the pool.
  const checkedOut = new Set<PoolClient>();
  pool.on('acquire', (client: PoolClient) => checkedOut.add(client));
  pool.on('release', (_err: unknown, client: PoolClient) => checkedOut.delete(client));
  const end = async () => {
    for (const client of [...checkedOut]) client.release(new Error('abandoned: still checked out at close'));
    await pool.end();
  };
  let closed: Promise<void> | undefined;
  return {
    db: drizzle({
      client: pool,
      schema,
      logger: { logQuery: (query, params) => databaseObserver.statement?.(query, params) },
    }),
    pool,
    close: () => (closed ??= end().catch(onError)),
  };
}
