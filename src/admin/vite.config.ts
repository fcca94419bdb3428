/**
 * The admin app's build: static files for the Worker's assets under /admin/ (wrangler.toml [assets]).
 * `npm run build:admin` builds once; `npm run dev` rebuilds on change while wrangler serves the folder.
 * Routes other than the dashboard are split into their own chunks (the editor's TipTap above all), so the
 * first load stays within its budget (scripts/build-admin.ts prints and checks it).
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { copyFileSync } from 'node:fs';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/admin/',
  plugins: [react(), spaFallback()],
  build: {
    outDir: fileURLToPath(new URL('../../build/public/admin', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `vite` alone (for hot reload while working on screens): the API stays the Worker's on :8787.
    proxy: { '/api': 'http://127.0.0.1:8787', '/auth': 'http://127.0.0.1:8787' },
  },
});

/**
 * The assets' single-page-application fallback serves /index.html for a navigation that matches no file
 * (/admin/o/demo/content/42): that must be this app's shell, so it is copied to the folder's root.
 */
function spaFallback(): Plugin {
  return {
    name: 'contentos-spa-fallback',
    writeBundle(options) {
      const out = options.dir!;
      copyFileSync(`${out}/index.html`, `${out}/../index.html`);
    },
  };
}
