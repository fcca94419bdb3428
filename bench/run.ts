/**
 * `npm run bench` (`npm run bench:quick` for a short smoke run that asserts nothing): seeds PostgreSQL with
 * an organization of 100,000 items, builds the production bundle, runs it in workerd through Miniflare
 * (the leanest local path) and under `wrangler dev`, drives each case with autocannon from a separate
 * process, samples publish → edge-visible, and prints one table (also bench/results/latest.json). First, the
 * quality scorer's CPU time per MiB for prose and hostile text (bench/scoring.ts; alone: `--only=scoring`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { DELIVERY_TOKEN_PREFIX } from '../src/auth/api-key-secret.ts';
import { ensureLocalKey, LOCAL_AUDIENCE, LOCAL_ISSUER, mintLocalToken } from '../scripts/local/keys.ts';
import { DEFAULT_REDIS_URL, DEFAULT_UPSTASH_TOKEN, LOCAL_KEY_PATH, ROOT } from '../scripts/local/paths.ts';
import { freePort } from '../scripts/local/ports.ts';
import {
  ensureAppLogin,
  isPostgresUp,
  migrateDatabase,
  withDatabase,
  withDatabaseName,
} from '../scripts/local/postgres.ts';
import { seedDemoData } from '../scripts/local/seed.ts';
import { startStack } from '../scripts/local/stack.ts';
import { benchCases, HIT_CASES, WRANGLER_DEV_CASES, type BenchCase } from './cases.ts';
import { BENCH_ORG, benchContentSql, benchOptions, benchUserEmail, benchUserId, type BenchOptions } from './config.ts';
import { percentile, sampleFreshness } from './freshness.ts';
import { profileWhile, summarizeProfile } from './profile.ts';
import { cpuBetween, cpuSnapshot } from './cpu-usage.ts';
import type { LoadResult, LoadSpec } from './load.ts';
import { evaluateTargets, renderTable, renderTargets, type CaseResult } from './report.ts';
import { startLeanRuntime, startWranglerDev, type Runtime } from './runtime.ts';
import { measureScoring, renderScoring } from './scoring.ts';
import { seedBenchOrganization } from './seed-bench.ts';

const log = (msg: string) => console.log(`[bench] ${msg}`);
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/contentos_bench';

/** One case in a child process, so load generation never competes with the proxy in this one. */
function runLoadProcess(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // The spec travels in a file: a miss case's list of paths is far beyond argv's limit.
    const specFile = join(tmpdir(), `contentos-bench-${process.pid}-${Date.now()}.json`);
    writeFileSync(specFile, JSON.stringify(spec));
    const child = spawn(process.execPath, [join(ROOT, 'bench', 'load.ts'), specFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.on('exit', () => rmSync(specFile, { force: true }));
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult)
        : reject(new Error(`load process exited ${code}`)),
    );
  });
}

/** A tenth of a case's items for the one-connection pass, the rest for the loaded one. */
function splitSpec(spec: BenchCase['spec']): { loadedSpec: BenchCase['spec']; aloneSpec: BenchCase['spec'] } {
  const cut = <T>(items: T[]) => Math.max(1, Math.floor(items.length / 10));
  if (spec.updateItems) {
    const at = cut(spec.updateItems);
    return {
      loadedSpec: { ...spec, updateItems: spec.updateItems.slice(at) },
      aloneSpec: { ...spec, updateItems: spec.updateItems.slice(0, at) },
    };
  }
  if (spec.paths) {
    const at = cut(spec.paths);
    return {
      loadedSpec: { ...spec, paths: spec.paths.slice(at) },
      aloneSpec: { ...spec, paths: spec.paths.slice(0, at) },
    };
  }
  return { loadedSpec: spec, aloneSpec: spec };
}

async function runCases(
  runtime: Runtime,
  cases: BenchCase[],
  options: BenchOptions,
  baseline = 0,
  unloaded = false,
): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  let baselineRps = baseline;
  for (const c of cases) {
    if (options.only.length && !options.only.includes(c.name)) continue;
    // The two passes get disjoint items: updates track each item's version as they go, and a miss
    // is only a miss the first time an id is read.
    const { loadedSpec, aloneSpec } = splitSpec(c.spec);
    log(`${runtime.name}: ${c.name} (${options.connections} connections, ${options.duration} s)`);
    const result = await runLoadProcess({
      url: runtime.url,
      connections: options.connections,
      duration: options.duration,
      ...loadedSpec,
    });
    if (c.name === 'baseline') baselineRps = result.rps;
    const row: CaseResult = {
      ...result,
      runtime: runtime.name,
      name: c.name,
      note: c.note,
      ratioToBaseline: baselineRps ? result.rps / baselineRps : 0,
    };
    if (unloaded) {
      // One connection: the time a request takes on its own, without queueing behind 49 others.
      const alone = await runLoadProcess({
        url: runtime.url,
        connections: 1,
        duration: Math.min(3, options.duration),
        ...aloneSpec,
      });
      row.alone = { p50: alone.p50, p99: alone.p99, errors: alone.errors + alone.non2xx };
    }
    results.push(row);
  }
  return results;
}

function gitRevision(): string {
  try {
    const rev = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${rev}+dirty` : rev;
  } catch {
    return 'unknown';
  }
}

function buildBundle(): number {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.ts')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const match = /bundle size: [\d.]+ KiB raw, ([\d.]+) KiB gzip/.exec(build.stdout);
  if (!match) throw new Error('could not read the bundle size from npm run build');
  return Number(match[1]);
}

/** Reads a path once and waits until KV answers it (the fill runs after the response). */
async function warm(url: string, path: string, headers: Record<string, string>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${url}${path}`, { headers });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`warming ${path}: ${res.status}`);
    if (res.headers.get('x-delivery-cache') === 'hit') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} never became a KV hit`);
}

/** KV holds what the hit cases read before they run: their own paths and headers. */
async function warmHitCases(url: string, cases: BenchCase[]): Promise<void> {
  for (const c of cases.filter((candidate) => HIT_CASES.includes(candidate.name)))
    await warm(url, c.spec.path, c.spec.headers ?? {});
}

/** `--profile=<case>`: one case against an unminified build with the inspector on; prints where the CPU went. */
async function profileCase(name: string, bindings: Record<string, string>, cases: BenchCase[], options: BenchOptions) {
  const c = cases.find((candidate) => candidate.name === name);
  if (!c) throw new Error(`--profile: no case named "${name}" (cases: ${cases.map((x) => x.name).join(', ')})`);
  const outdir = join(ROOT, 'dist-profile');
  log('building an unminified bundle for readable profiles (dist-profile/)');
  execFileSync('wrangler', ['deploy', '--dry-run', '--outdir', outdir, '--minify=false'], {
    cwd: ROOT,
    stdio: 'ignore',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  const inspectorPort = await freePort();
  const runtime = await startLeanRuntime(bindings, { scriptPath: join(outdir, 'index.js'), inspectorPort });
  try {
    await warmHitCases(runtime.url, cases);
    log(`profiling ${name} (${options.connections} connections, ${options.duration} s)`);
    const cpuBefore = cpuSnapshot();
    const { result, profile } = await profileWhile(inspectorPort, () =>
      runLoadProcess({ url: runtime.url, connections: options.connections, duration: options.duration, ...c.spec }),
    );
    const file = join(ROOT, 'bench', 'results', `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(file, JSON.stringify(profile));
    console.log(
      `\n${name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} ` +
        `errors (profiler attached: slower than a plain run)\n`,
    );
    const cpu = cpuBetween(cpuBefore, cpuSnapshot());
    console.log(
      `machine CPU during the case (seconds; ${cpus().length} cores × ${options.duration} s = ${cpus().length * options.duration} s):`,
    );
    console.log(`${cpu.map((row) => `  ${row.seconds.toFixed(1).padStart(6)} s  ${row.name}`).join('\n')}\n`);
    console.log(summarizeProfile(profile, join(outdir, 'index.js')));
    console.log(`\nprofile written to ${file}`);
  } finally {
    await runtime.stop();
  }
}

/** `--serve`: the lean runtime stays up for hand profiling until Ctrl-C. */
async function serveUntilInterrupted(
  url: string,
  access: { managementToken: string; deliveryToken: string; hitItemId: string },
) {
  console.log(`\nserving the production bundle at ${url} (Ctrl-C to stop)`);
  console.log(`management token: ${access.managementToken}`);
  console.log(`delivery token:   ${access.deliveryToken}`);
  console.log(
    `for example: npx autocannon -c 50 -d 10 -H "authorization: Bearer <management token>" '${url}/api/v1/content?status=published&limit=100'`,
  );
  console.log(
    `             npx autocannon -c 50 -d 10 -H "authorization: Bearer <delivery token>" '${url}/delivery/v1/bench/content/${access.hitItemId}'\n`,
  );
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
}

async function main() {
  const options = benchOptions(process.argv.slice(2));
  // Pure function timing, before anything else starts on the machine; `--only=scoring` runs just this.
  const wantsScoring = !options.profile && !options.serve && (!options.only.length || options.only.includes('scoring'));
  const scoring = wantsScoring ? measureScoring() : undefined;
  if (scoring) log(renderScoring(scoring));
  if (options.only.length > 0 && options.only.every((name) => name === 'scoring')) return;
  const databaseUrl = process.env.BENCH_DATABASE_URL?.trim() || DEFAULT_URL;
  if (!(await isPostgresUp(databaseUrl))) {
    throw new Error(
      `PostgreSQL is not reachable at ${new URL(databaseUrl).host}: the benchmark needs a real PostgreSQL (set BENCH_DATABASE_URL).`,
    );
  }
  const stack = await startStack(
    {
      database: { kind: 'postgres', url: databaseUrl },
      proxyPort: await freePort(),
      upstash: {
        port: await freePort(),
        token: DEFAULT_UPSTASH_TOKEN,
        redisUrl: process.env.REDIS_URL ?? DEFAULT_REDIS_URL,
      },
      migrate: false,
    },
    (msg) => log(msg),
  );
  const runtimes: Runtime[] = [];
  try {
    const name = new URL(databaseUrl).pathname.slice(1);
    await withDatabase(withDatabaseName(databaseUrl, 'postgres'), stack.neonWsProxy, async (_db, pool) => {
      const exists = await pool.query('select 1 from pg_database where datname = $1', [name]);
      if (exists.rowCount === 0) await pool.query(`create database "${name.replace(/"/g, '')}"`);
    });
    await migrateDatabase(databaseUrl, stack.neonWsProxy);
    // The Worker connects as in production: the application role, whose audit inserts the chain trigger serves.
    const appDatabaseUrl = await ensureAppLogin(databaseUrl, stack.neonWsProxy);
    const deliveryToken = `${DELIVERY_TOKEN_PREFIX}bench${randomBytes(24).toString('base64url')}`;
    const started = performance.now();
    const inputs = await withDatabase(databaseUrl, stack.neonWsProxy, async (db) => {
      await seedDemoData(db);
      const seeded = await seedBenchOrganization(db, options.items, deliveryToken);
      log(
        seeded.reused
          ? `reusing ${options.items.toLocaleString('en')} items already seeded`
          : `seeded ${seeded.created.toLocaleString('en')} items in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const ids = async (where: string, limit: number) =>
        (
          await db.execute<{ id: string; version: number }>(
            sql.raw(
              `select id, version from content where organization_id = '${BENCH_ORG.id}' and ${where} order by id limit ${limit}`,
            ),
          )
        ).rows;
      return {
        hitItemId: (await ids(`id = ${benchContentSql('0')}`, 1))[0]!.id,
        missItemIds: (await ids(`published_version is not null and title like 'Bench item %'`, 60_000)).map(
          (r) => r.id,
        ),
        updateItems: await ids(`status = 'draft' and title like 'Bench item %'`, 500),
        freshnessIds: (await ids(`status = 'approved' and title like 'Bench item %'`, options.freshnessSamples)).map(
          (r) => r.id,
        ),
        postgres: (await db.execute<{ version: string }>(sql`select version()`)).rows[0]?.version ?? 'unknown',
      };
    });

    log('building the production bundle (npm run build)');
    const bundleGzipKiB = buildBundle();
    const key = await ensureLocalKey(LOCAL_KEY_PATH);
    const managementToken = await mintLocalToken(key, {
      sub: benchUserId('editor'),
      email: benchUserEmail('editor'),
      ttlSeconds: 3600,
    });
    const bindings: Record<string, string> = {
      APP_ENV: 'development',
      // Errors only: a log line per request (or per expected 404 in the freshness samples) would measure the console, not the Worker.
      LOG_LEVEL: 'error',
      MAX_BODY_BYTES: '1048576',
      HEALTH_TIMEOUT_MS: '2000',
      NEON_WS_PROXY: stack.neonWsProxy ?? '',
      DATABASE_URL: appDatabaseUrl,
      UPSTASH_REDIS_REST_URL: stack.upstash!.url,
      UPSTASH_REDIS_REST_TOKEN: stack.upstash!.token,
      JWT_ISSUER: LOCAL_ISSUER,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      JWKS_URL: '',
      JWT_LOCAL_PUBLIC_JWK: JSON.stringify(key.publicJwk),
      API_RATE_LIMIT_PER_MINUTE: '1000000',
      CONTENT_CREATE_LIMIT_PER_HOUR: '1000000',
      // The load comes from one address and one token: limits on, so their cost is measured, never reached.
      DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE: '10000000',
      DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE: '10000000',
      RATE_LIMIT_PREFIX: `rl-bench-${randomBytes(4).toString('hex')}`,
    };
    const cases = benchCases({
      deliveryToken,
      managementToken,
      hitItemId: inputs.hitItemId,
      missItemIds: inputs.missItemIds,
      updateItems: inputs.updateItems,
    });

    if (options.profile) return await profileCase(options.profile, bindings, cases, options);
    const lean = await startLeanRuntime(bindings);
    runtimes.push(lean);
    await warmHitCases(lean.url, cases);
    if (options.serve)
      return await serveUntilInterrupted(lean.url, { managementToken, deliveryToken, hitItemId: inputs.hitItemId });
    // The miss case reads ids nobody has read: skip the ones just warmed.
    // Freshness is sampled between the read and the write cases: after thousands of writes the queue is
    // still draining their events, and the figure would measure that backlog, not the path.
    const isWrite = (c: BenchCase) => c.spec.method === 'POST' || c.spec.updateItems !== undefined;
    const results = await runCases(
      lean,
      cases.filter((c) => !isWrite(c)),
      options,
      0,
      true,
    );
    log(`sampling publish → edge-visible (${inputs.freshnessIds.length} samples)`);
    const freshness = await sampleFreshness(
      { url: lean.url, managementToken, deliveryToken, itemIds: inputs.freshnessIds },
      options.freshnessSamples,
    );
    results.push(...(await runCases(lean, cases.filter(isWrite), options, results[0]?.rps ?? 0, true)));
    const memory: Record<string, number> = { [lean.name]: lean.peakMemoryMiB() };
    await lean.stop();
    runtimes.pop();

    if (options.wranglerDev) {
      const dev = await startWranglerDev(bindings);
      runtimes.push(dev);
      await warmHitCases(dev.url, cases);
      results.push(
        ...(await runCases(
          dev,
          cases.filter((c) => WRANGLER_DEV_CASES.includes(c.name)),
          options,
        )),
      );
      memory[dev.name] = dev.peakMemoryMiB();
      await dev.stop();
      runtimes.pop();
    }

    const freshnessSummary = {
      samples: freshness.length,
      p50: percentile(freshness, 50),
      p99: percentile(freshness, 99),
      max: Math.max(0, ...freshness),
    };
    const targets = evaluateTargets(
      results.filter((r) => r.runtime === lean.name),
      freshnessSummary,
      bundleGzipKiB,
    );
    console.log(`\n${renderTable(results)}\n`);
    console.log(
      `publish → edge-visible: p50 ${freshnessSummary.p50.toFixed(0)} ms, p99 ${freshnessSummary.p99.toFixed(0)} ` +
        `ms, max ${freshnessSummary.max.toFixed(0)} ms (${freshnessSummary.samples} samples)`,
    );
    console.log(`bundle: ${bundleGzipKiB.toFixed(1)} KiB gzip`);
    if (scoring) console.log(renderScoring(scoring));
    console.log(
      `peak runtime memory: ${Object.entries(memory)
        .map(([k, v]) => `${k} ${v} MiB`)
        .join(', ')}`,
    );
    console.log(
      `\ntargets (leanest path, ${options.connections} connections` +
        `${options.quick ? ', QUICK RUN: figures are indicative only' : ''}):\n${renderTargets(targets)}\n`,
    );

    const report = {
      when: new Date().toISOString(),
      revision: gitRevision(),
      quick: options.quick,
      options,
      machine: {
        os: `${osType()} ${release()}`,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        postgres: inputs.postgres,
      },
      items: options.items,
      results,
      freshnessMs: { ...freshnessSummary, figures: freshness.map((f) => Math.round(f)) },
      bundleGzipKiB,
      scoring,
      peakMemoryMiB: memory,
      targets,
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const file = join(ROOT, 'bench', 'results', options.quick ? 'quick.json' : 'latest.json');
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    log(`written ${file}`);
  } finally {
    for (const runtime of runtimes) await runtime.stop().catch(() => {});
    await stack.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    const cause = err instanceof Error && err.cause instanceof Error ? ` (${err.cause.message})` : '';
    console.error(`[bench] ${err instanceof Error ? err.message.split('\n')[0] : String(err)}${cause}`);
    process.exit(1);
  },
);
