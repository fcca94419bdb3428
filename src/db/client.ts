import { neonConfig, Pool } from '@neondatabase/serverless';
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
  let closed: Promise<void> | undefined;
  return {
    db: drizzle({
      client: pool,
      schema,
      logger: { logQuery: (query, params) => databaseObserver.statement?.(query, params) },
    }),
    pool,
    close: () => (closed ??= pool.end().catch(onError)),
  };
}
