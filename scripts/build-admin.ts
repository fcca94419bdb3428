/**
 * `npm run build:admin`: the Worker's static assets in build/public (wrangler.toml [assets]): the admin app
 * (Vite, under /admin/), the API reference (/docs: Scalar's standalone build reading /openapi.json) and the
 * response headers both get (`_headers`). Prints the admin app's initial JavaScript (what the browser loads
 * before the dashboard renders) and fails above its budget. `--watch` keeps rebuilding the app on change
 * (`npm run dev`).
 */
import {
  buildAdminApp,
  copyStaticFiles,
  INITIAL_JS_BUDGET,
  initialJavaScript,
  watchAdminApp,
} from './local/admin-assets.ts';

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

copyStaticFiles();
if (process.argv.includes('--watch')) {
  const vite = watchAdminApp();
  process.on('SIGINT', () => vite.kill('SIGINT'));
  process.on('SIGTERM', () => vite.kill('SIGTERM'));
  vite.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!buildAdminApp()) process.exit(1);
  const initial = initialJavaScript();
  console.log(`admin app initial JavaScript: ${kib(initial.gzipBytes)} gzip (${initial.files.join(', ')})`);
  if (initial.gzipBytes > INITIAL_JS_BUDGET) {
    console.error(`admin app initial JavaScript is over its budget of ${kib(INITIAL_JS_BUDGET)} gzip`);
    process.exit(1);
  }
}
