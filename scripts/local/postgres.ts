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

/**
 * The login role the Worker uses on a local or CI PostgreSQL: a member of contentos_app (created by migration
 * 0010, which grants it what the Worker may do) that owns nothing (docs/decisions/0030). The password is for
 * servers that ask for one; it guards nothing on a developer's machine (production creates its own, README).
 */
export const APP_LOGIN_ROLE = 'contentos_app_login';
const APP_LOGIN_PASSWORD = 'contentos-app-local';

/** The same database, reached as the Worker's login role. */
export function appDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = APP_LOGIN_ROLE;
  url.password = APP_LOGIN_PASSWORD;
  return url.toString();
}

/**
 * Creates the login role if the server has none yet (roles belong to the server, so every database on it
 * shares one), and makes sure it is in contentos_app. Run as the owner, after the migrations.
 */
export async function ensureAppLogin(ownerUrl: string, neonWsProxy: string | undefined): Promise<string> {
  await withDatabase(ownerUrl, neonWsProxy, (_db, pool) =>
    pool.query(`
      DO $$
      BEGIN
        BEGIN
          CREATE ROLE ${APP_LOGIN_ROLE} LOGIN PASSWORD '${APP_LOGIN_PASSWORD}';
        EXCEPTION
          -- unique_violation: another test run created it at the same moment.
          WHEN duplicate_object OR unique_violation THEN NULL;
        END;
        IF NOT pg_has_role('${APP_LOGIN_ROLE}', 'contentos_app', 'MEMBER') THEN
          BEGIN
            GRANT contentos_app TO ${APP_LOGIN_ROLE};
          EXCEPTION WHEN unique_violation THEN NULL;
          END;
        END IF;
      END
      $$`),
  );
  return appDatabaseUrl(ownerUrl);
}
