import { Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import { fileURLToPath } from 'node:url';
import { configureNeon, type Database } from '../../src/db/client.ts';
import * as schema from '../../src/db/schema/index.ts';
import { isListening } from './ports.ts';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

export function hostPort(databaseUrl: string): { host: string; port: number; target: string } {
  const url = new URL(databaseUrl);
  const port = Number(url.port || 5432);
  return { host: url.hostname, port, target: `${url.hostname}:${port}` };
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Local servers are reached through our plain WebSocket proxy; anything else is assumed to be Neon. */
export const isLocalDatabase = (databaseUrl: string) => LOCAL_HOSTS.has(new URL(databaseUrl).hostname);

export async function isPostgresUp(databaseUrl: string): Promise<boolean> {
  const { host, port } = hostPort(databaseUrl);
  return isListening(host, port);
}

export function withDatabaseName(databaseUrl: string, name: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Runs `work` with a drizzle client over the Neon driver, exactly as the Worker reaches Postgres. */
export async function withDatabase<T>(
  databaseUrl: string,
  neonWsProxy: string | undefined,
  work: (db: Database, pool: Pool) => Promise<T>,
): Promise<T> {
  configureNeon(neonWsProxy);
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  pool.on('error', () => {});
  try {
    return await work(drizzle({ client: pool, schema }), pool);
  } finally {
    await pool.end();
  }
}

export async function migrateDatabase(databaseUrl: string, neonWsProxy: string | undefined): Promise<void> {
  await withDatabase(databaseUrl, neonWsProxy, (db) => migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }));
}

const SAFE_DB_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export async function createDatabase(adminUrl: string, neonWsProxy: string | undefined, name: string): Promise<void> {
  if (!SAFE_DB_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  await withDatabase(adminUrl, neonWsProxy, (_db, pool) => pool.query(`create database "${name}"`));
}

export async function dropDatabase(adminUrl: string, neonWsProxy: string | undefined, name: string): Promise<void> {
  if (!SAFE_DB_NAME.test(name)) throw new Error(`unsafe database name ${name}`);
  await withDatabase(adminUrl, neonWsProxy, (_db, pool) =>
    pool.query(`drop database if exists "${name}" with (force)`),
  );
}
