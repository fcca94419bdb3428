/**
 * `npm run db:migrate`: applies migrations/ to DATABASE_URL, or to the embedded PGlite database under
 * .data/ when DATABASE_URL is unset. Goes through the Neon driver like the Worker does.
 */
import { PGLITE_DIR, PGLITE_LOCK } from './local/paths.ts';
import { acquirePgliteLock } from './local/pglite-lock.ts';
import { freePort } from './local/ports.ts';
import { databasePlanFromEnv, startStack } from './local/stack.ts';

const database = databasePlanFromEnv(process.env.DATABASE_URL, { port: await freePort(), dataDir: PGLITE_DIR });
const release = database.kind === 'pglite' ? acquirePgliteLock(PGLITE_LOCK) : () => {};
try {
  const stack = await startStack({ database, proxyPort: await freePort(), migrate: true }, (msg) =>
    console.log(`[db:migrate] ${msg}`),
  );
  await stack.stop();
} catch (err) {
  console.error(`[db:migrate] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  release();
}
