import type { Context } from 'hono';
import { accepts } from 'hono/accepts';

/** Browsers (and anything that does not ask) get the page; clients that ask for JSON get the entry. */
export const wantsJson = (c: Context) =>
  accepts(c, { header: 'Accept', supports: ['text/html', 'application/json'], default: 'text/html' }) ===
  'application/json';

/** The catalogue changes only with a release: an hour of caching costs nothing and spares the Worker. */
export const problemPageHeaders = { 'cache-control': 'public, max-age=3600', vary: 'accept' };

export const problemPageHeaderDocs = {
  'Cache-Control': {
    schema: { type: 'string' as const },
    description: 'Public; the catalogue changes only with a release',
  },
  Vary: { schema: { type: 'string' as const }, description: '`Accept`: the page and the JSON differ' },
};
