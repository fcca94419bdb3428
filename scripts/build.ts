/**
 * `npm run build`: what `wrangler deploy` would upload. First the static assets (scripts/build-admin.ts: the
 * admin app, with its initial JavaScript against its budget, and /docs), then the Worker bundle exactly as
 * wrangler builds it, plus its size raw and gzipped (the Workers size limit applies to the compressed upload).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './local/paths.ts';

const admin = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-admin.ts')], { cwd: ROOT, stdio: 'inherit' });
if (admin.status !== 0) process.exit(admin.status ?? 1);

const outdir = join(ROOT, 'dist');
rmSync(outdir, { recursive: true, force: true });
const result = spawnSync('wrangler', ['deploy', '--dry-run', '--outdir', outdir, ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
  env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
});
if (result.status !== 0) process.exit(result.status ?? 1);

const files = (function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
})(outdir).filter((path) => !path.endsWith('.map') && !path.endsWith('README.md'));

let raw = 0;
let gzip = 0;
for (const file of files) {
  const bytes = readFileSync(file);
  raw += bytes.length;
  gzip += gzipSync(bytes, { level: 9 }).length;
}
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`\nbundle: ${files.map((f) => relative(ROOT, f)).join(', ')}`);
console.log(`bundle size: ${kib(raw)} raw, ${kib(gzip)} gzip`);

// The budget from the benchmarks issue (docs/performance.md): a bigger upload is a slower cold start
// everywhere, so growing past it fails the build (and CI) instead of drifting.
const BUDGET_GZIP_BYTES = 300 * 1024;
if (gzip > BUDGET_GZIP_BYTES) {
  console.error(`bundle is over its budget: ${kib(gzip)} gzip > ${kib(BUDGET_GZIP_BYTES)} (see docs/performance.md)`);
  process.exit(1);
}
