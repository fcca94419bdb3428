/**
 * The browser suite's one stack: the whole local product as `npm run dev` runs it (scripts/local/dev-process.ts)
 * on free ports, against a fresh database made for this run on the local PostgreSQL (the worker suite's choice,
 * tests/stack/plan.ts) and dropped afterwards, with its state in a throwaway directory. Without PostgreSQL it
 * runs on a fresh embedded PGlite, except in CI, which runs on PostgreSQL. Chromium must be installed: a
 * missing browser fails the suite, with how to install it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startDevProcess } from '../../scripts/local/dev-process.ts';
import { DATA_DIR } from '../../scripts/local/paths.ts';
import { freePort } from '../../scripts/local/ports.ts';
import { isPostgresUp, withDatabaseName } from '../../scripts/local/postgres.ts';
import { type RunningStack, startStack } from '../../scripts/local/stack.ts';
import { DEFAULT_TEST_DATABASE_URL } from '../stack/plan.ts';
import { CHROMIUM_PATH, chromiumMissing } from './chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Worker `npm run dev` serves: /admin/, /docs, the API. */
    baseUrl: string;
    /** The local identity provider's origin (its sign-in page). */
    oidcIssuer: string;
    /** Where the dev process's output goes; its tail is printed when a test fails. */
    devLogPath: string;
  }
}

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(chromiumMissing());

  const logDir = join(DATA_DIR, 'browser-tests');
  // Failures of an earlier run would only confuse this one's.
  rmSync(join(logDir, 'failures'), { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'contentos-browser-'));
  const database = await freshDatabase();
  console.log(`[browser] ${database.description}; npm run dev output in ${join(logDir, 'dev.log')}`);
  let dev: Awaited<ReturnType<typeof startDevProcess>>;
  try {
    dev = await startDevProcess({
      ...(database.url ? { databaseUrl: database.url } : {}),
      dataDir,
      logPath: join(logDir, 'dev.log'),
    });
  } catch (err) {
    await database.stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  console.log(`[browser] ContentOS at ${dev.url}/admin/`);
  project.provide('baseUrl', dev.url);
  project.provide('oidcIssuer', dev.oidcIssuer);
  project.provide('devLogPath', dev.logPath);

  return async () => {
    await dev.stop();
    await database.stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

/**
 * A database created for this run (startStack creates it and its stop drops it); `npm run dev` then migrates
 * and seeds it as it would any DATABASE_URL.
 */
async function freshDatabase(): Promise<{ url?: string; stack?: RunningStack; description: string }> {
  const adminUrl = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
  const usePostgres = process.env.TEST_DB !== 'pglite' && (await isPostgresUp(adminUrl));
  if (!usePostgres) {
    if (process.env.CI && process.env.TEST_DB !== 'pglite')
      throw new Error(`CI runs the browser tests on PostgreSQL: none answered at ${new URL(adminUrl).host}`);
    return { description: 'embedded PGlite (fresh)' };
  }
  const name = `contentos_browser_${randomBytes(6).toString('hex')}`;
  const url = withDatabaseName(adminUrl, name);
  const stack = await startStack(
    {
      database: { kind: 'postgres', url, createFrom: { adminUrl, name } },
      proxyPort: await freePort(),
      migrate: false,
    },
    () => {},
  );
  return { url, stack, description: `PostgreSQL at ${new URL(adminUrl).host}, fresh database ${name}` };
}
