import { IsolateCache } from '../../cache/isolate-cache.ts';
import type { ServiceContext } from '../container.ts';

/** However hot a key, an isolate re-checks it at most once a minute (other isolates see the rewrite soon after). */
const CHECK_INTERVAL_MS = 60_000;
let checkedLately = new IsolateCache<true>({ ttlMs: CHECK_INTERVAL_MS, maxEntries: 10_000 });

/**
 * Forgets which keys this isolate re-checked, as if a minute had passed: a test that needs the next old
 * read to be re-checked calls it instead of waiting. Production never does.
 */
export function forgetRevalidations(): void {
  checkedLately = new IsolateCache<true>({ ttlMs: CHECK_INTERVAL_MS, maxEntries: 10_000 });
}

/**
 * Whether an entry read at the edge is due for a check against Postgres: it was stored longer ago than
 * DELIVERY_REVALIDATE_AFTER_SECONDS (or says nothing of when, being older than the field), and this
 * isolate has not checked the key in the last minute.
 */
export function dueForRevalidation(ctx: Pick<ServiceContext, 'services'>, key: string, storedAt: string | undefined) {
  const now = Date.now();
  const at = storedAt === undefined ? Number.NaN : Date.parse(storedAt);
  if (!Number.isNaN(at) && now - at < ctx.services.config.delivery.revalidateAfterSeconds * 1000) return false;
  if (checkedLately.get(key, now)) return false;
  checkedLately.set(key, true, now);
  return true;
}

/**
 * Events keep KV in step with Postgres; this is what bounds the damage when one is lost anyway: an old
 * entry is served as it is, and after the response (waitUntil) Postgres is asked again and the entry
 * rewritten with what it says. The read path itself never waits for Postgres.
 */
export function revalidateLater(
  ctx: ServiceContext,
  key: string,
  storedAt: string | undefined,
  check: () => Promise<unknown>,
): void {
  if (dueForRevalidation(ctx, key, storedAt)) ctx.services.defer(check);
}
