import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertV4MiniflareOptions, Miniflare } from 'miniflare';
import { ROOT } from '../scripts/local/paths.ts';
import { freePort, waitForHttp } from '../scripts/local/ports.ts';

export interface Runtime {
  name: string;
  url: string;
  /** Peak resident memory (VmHWM) of the workerd processes serving the Worker, in MiB. */
  peakMemoryMiB(): number;
  stop(): Promise<void>;
}

/** The same queue settings as wrangler.toml: the freshness case depends on them. */
const QUEUE = 'contentos-events';

function workerdPids(rootPid: number): number[] {
  // Every descendant named workerd (wrangler and miniflare start it as a child or grandchild).
  const out = execFileSync('ps', ['-eo', 'pid,ppid,comm'], { encoding: 'utf8' });
  const rows = out
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map(([pid, ppid, comm]) => ({ pid: Number(pid), ppid: Number(ppid), comm }));
  const descendants = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of rows)
      if (descendants.has(row.ppid) && !descendants.has(row.pid)) {
        descendants.add(row.pid);
        grew = true;
      }
  }
  return rows.filter((row) => descendants.has(row.pid) && row.comm === 'workerd').map((row) => row.pid);
}

function peakMiB(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kib += Number(match?.[1] ?? 0);
    } catch {
      // The process ended; its peak is gone with it.
    }
  }
  return Math.round(kib / 1024);
}

/** The production bundle (dist/index.js from `npm run build`) in workerd through Miniflare: no wrangler in the path. */
export async function startLeanRuntime(
  bindings: Record<string, string>,
  /** For --profile: another build of the bundle, and the inspector port to reach its isolate on. */
  debug: { scriptPath?: string; inspectorPort?: number } = {},
): Promise<Runtime> {
  const port = await freePort();
  // Miniflare 5 (the one wrangler pins) still accepts the v4 option shape through its converter.
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      host: '127.0.0.1',
      port,
      scriptPath: debug.scriptPath ?? join(ROOT, 'dist', 'index.js'),
      ...(debug.inspectorPort ? { inspectorPort: debug.inspectorPort } : {}),
      modules: true,
      compatibilityDate: '2026-04-01',
      compatibilityFlags: ['nodejs_compat'],
      bindings,
      kvNamespaces: ['DELIVERY_CACHE'],
      queueProducers: { EVENTS_QUEUE: { queueName: QUEUE } },
      queueConsumers: {
        [QUEUE]: { maxBatchSize: 50, maxBatchTimeout: 0, maxRetries: 5, deadLetterQueue: `${QUEUE}-dlq` },
        [`${QUEUE}-dlq`]: { maxBatchSize: 50, maxBatchTimeout: 5 },
      },
    }),
  );
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const pids = workerdPids(process.pid);
  return {
    name: 'workerd (miniflare, production bundle)',
    url,
    peakMemoryMiB: () => peakMiB(pids),
    stop: () => mf.dispose(),
  };
}

/** `wrangler dev` on the same code and bindings, for comparison (what developers run). */
export async function startWranglerDev(bindings: Record<string, string>): Promise<Runtime> {
  const port = await freePort();
  const envFile = join(ROOT, '.data', 'bench.env');
  writeFileSync(
    envFile,
    `${Object.entries(bindings)
      .map(([k, v]) => `${k}='${v}'`)
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  const child: ChildProcess = spawn(
    'wrangler',
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--env-file',
      envFile,
      '--persist-to',
      join(ROOT, '.data', 'bench-wrangler'),
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  // Ready means answering, not only listening.
  await waitForHttp(`${url}/health/live`, { timeoutMs: 120_000, alive: () => child.exitCode === null });
  const pids = () => workerdPids(child.pid ?? -1);
  let seen: number[] = pids();
  return {
    name: 'wrangler dev',
    url,
    peakMemoryMiB: () => {
      seen = [...new Set([...seen, ...pids()])];
      return peakMiB(seen);
    },
    stop: async () => {
      child.kill('SIGINT');
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
