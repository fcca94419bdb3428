/**
 * The Worker's static assets in build/public (wrangler.toml [assets]): what `npm run build:admin` and
 * `npm run dev` copy beside the Vite build, and the measure of the admin app's first load.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './paths.ts';

export const PUBLIC = join(ROOT, 'build/public');
const VITE_CONFIG = join(ROOT, 'src/admin/vite.config.ts');
const VITE_BUILD = ['build', '--config', VITE_CONFIG, '--logLevel', 'warn'];
/** The budget: the dashboard's first load, the editor (TipTap) split out. */
export const INITIAL_JS_BUDGET = 250 * 1024;

export function copyStaticFiles() {
  mkdirSync(join(PUBLIC, 'docs'), { recursive: true });
  copyFileSync(join(ROOT, 'src/admin/_headers'), join(PUBLIC, '_headers'));
  copyFileSync(join(ROOT, 'src/docs-site/index.html'), join(PUBLIC, 'docs/index.html'));
  copyFileSync(
    join(ROOT, 'node_modules/@scalar/api-reference/dist/browser/standalone.js'),
    join(PUBLIC, 'docs/scalar.js'),
  );
}

/** The scripts index.html loads and preloads, gzipped one by one as a CDN would serve them. */
export function initialJavaScript(): { files: string[]; gzipBytes: number } {
  const html = readFileSync(join(PUBLIC, 'admin/index.html'), 'utf8');
  const files = [
    ...html.matchAll(/<script[^>]+src="\/admin\/([^"]+\.js)"/g),
    ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/admin\/([^"]+\.js)"/g),
  ].map((m) => m[1]!);
  const gzipBytes = files.reduce((sum, file) => sum + gzipSync(readFileSync(join(PUBLIC, 'admin', file))).length, 0);
  return { files, gzipBytes };
}

/** One Vite build of the admin app into build/public/admin; false when it failed (Vite said why). */
export function buildAdminApp(): boolean {
  return spawnSync('vite', VITE_BUILD, { cwd: ROOT, stdio: 'inherit' }).status === 0;
}

/** Vite rebuilding the admin app on every change, until the returned process is stopped. */
export function watchAdminApp(): ChildProcess {
  return spawn('vite', [...VITE_BUILD, '--watch'], { cwd: ROOT, stdio: 'inherit' });
}
