/**
 * What this isolate last saw of the database, per connection string: delivery responses served from KV
 * say they may be stale while the last attempt failed. Module state on purpose: it outlives requests
 * in the isolate, and a request that hits KV does not touch the database to find out.
 */
const lastOutcome = new Map<string, { ok: boolean; at: number }>();

export const databaseBreaker = {
  failed(databaseUrl: string): void {
    lastOutcome.set(databaseUrl, { ok: false, at: Date.now() });
  },
  succeeded(databaseUrl: string): void {
    if (lastOutcome.get(databaseUrl)?.ok === false) lastOutcome.set(databaseUrl, { ok: true, at: Date.now() });
  },
  /** True when the last database call from this isolate failed: served content may be behind. */
  seemsDown(databaseUrl: string): boolean {
    return lastOutcome.get(databaseUrl)?.ok === false;
  },
};
