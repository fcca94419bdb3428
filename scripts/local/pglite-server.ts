import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { freePort } from './ports.ts';

/**
 * Embedded Postgres for `npm run dev` and tests on a machine with no PostgreSQL server. Workers cannot
 * run PGlite, so it is served over the Postgres wire protocol (pglite-socket) behind the same
 * WebSocket proxy a real server would sit behind.
 */
export interface PgliteServer {
  databaseUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function startPgliteServer(options: { dataDir?: string; port?: number }): Promise<PgliteServer> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const port = options.port ?? (await freePort());
  // One query runs at a time whatever the count, but each Worker request opens its own connection, and
  // a burst of concurrent requests must queue rather than be refused.
  const server = new PGLiteSocketServer({ db, port, host: '127.0.0.1', maxConnections: 256 });
  await server.start();
  return {
    databaseUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    close: async () => {
      await server.stop();
      await db.close();
    },
  };
}
