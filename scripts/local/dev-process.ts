/**
 * `npm run dev` as a child process: the whole local product (Worker, admin app, identity provider, WebSocket
 * proxy, Upstash endpoint) on ports of the caller's choosing, with its output in a log file. The browser tests
 * start one (tests/browser/global-setup.ts); anything else that needs the product as a person sees it can too.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from './paths.ts';
import { freePort, waitForHttp } from './ports.ts';

export interface DevProcessOptions {
  /** The database `npm run dev` uses (DATABASE_URL); without it, embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  /** Where its local state goes (CONTENTOS_DATA_DIR): PGlite, the signing key, wrangler's KV and queues. */
  dataDir: string;
  /** stdout and stderr of the whole process tree. */
  logPath: string;
  /** Starting includes building the admin app and, on a cold machine, migrating: minutes, not seconds. */
  startTimeoutMs?: number;
}

export interface DevProcess {
  /** The Worker: API, /admin/, /docs, /auth/…. */
  url: string;
  /** The local identity provider (its sign-in page lists the seeded users). */
  oidcIssuer: string;
  logPath: string;
  /** The last lines of the log, for a failure message. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export async function startDevProcess(options: DevProcessOptions): Promise<DevProcess> {
  const port = await freePort();
  const oidcPort = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // As `npm run dev` has it: the project's Node 22, vite and wrangler from node_modules/.bin.
    PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
    PORT: String(port),
    OIDC_PORT: String(oidcPort),
    WS_PROXY_PORT: String(await freePort()),
    UPSTASH_PORT: String(await freePort()),
    CONTENTOS_DATA_DIR: options.dataDir,
    WRANGLER_SEND_METRICS: 'false',
    CLOUDFLARE_CF_FETCH_ENABLED: 'false',
    // No colours in the log file.
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  if (options.databaseUrl) env.DATABASE_URL = options.databaseUrl;
  else delete env.DATABASE_URL;

  const out = openSync(options.logPath, 'w');
  // Its own process group, so stopping it reaches wrangler, workerd and vite too.
  const child: ChildProcess = spawn('node', [join(ROOT, 'scripts', 'dev.ts')], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  // A detached group outlives its parent: if the caller dies without stopping it (Ctrl-C), take it along.
  const orphanGuard = () => signalGroup(-child.pid!, 'SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', orphanGuard);
      resolve();
    }),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;

  const logTail = (lines = 60) => {
    try {
      return readFileSync(options.logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  };

  const stop = async () => {
    if (!alive()) return;
    const group = -child.pid!;
    // dev.ts stops wrangler, vite and the stack on SIGTERM; whatever is left after a grace period is killed.
    signalGroup(group, 'SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), 15_000);
      }),
    ]);
    clearTimeout(timer);
    if (!graceful) signalGroup(group, 'SIGKILL');
    await exited;
    // Children that outlived dev.ts (it exits as soon as wrangler has).
    await sleep(200);
    signalGroup(group, 'SIGKILL');
  };

  const url = `http://127.0.0.1:${port}`;
  try {
    const timeoutMs = options.startTimeoutMs ?? 240_000;
    await waitForHttp(`${url}/health`, { timeoutMs, alive });
    await waitForHttp(`${url}/admin/`, { timeoutMs: 30_000, alive });
  } catch (err) {
    await stop();
    throw new Error(
      `npm run dev did not start: ${(err as Error).message}\n--- ${options.logPath} (last lines) ---\n${logTail()}`,
    );
  }
  return { url, oidcIssuer: `http://127.0.0.1:${oidcPort}`, logPath: options.logPath, logTail, stop };
}

function signalGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(group, signal);
  } catch {
    // The group is gone already.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
