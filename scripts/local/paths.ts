import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Everything local state lives under .data/ (ignored by git): PGlite, keys, wrangler's KV/queue state.
 * CONTENTOS_DATA_DIR moves it: the browser tests run `npm run dev` on a fresh, throwaway one.
 */
export const DATA_DIR = process.env.CONTENTOS_DATA_DIR?.trim() || join(ROOT, '.data');
export const PGLITE_DIR = join(DATA_DIR, 'pglite');
export const PGLITE_LOCK = join(DATA_DIR, 'pglite.lock');
export const LOCAL_KEY_PATH = join(DATA_DIR, 'keys', 'local-jwt.json');
export const DEV_ENV_PATH = join(DATA_DIR, 'dev.env');
export const WRANGLER_STATE_DIR = join(DATA_DIR, 'wrangler');
export const DEFAULT_UPSTASH_TOKEN = 'local-upstash-token';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';
