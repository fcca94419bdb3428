import { isDatabaseUnavailable } from '../../db/errors.ts';
import type { ServiceContext } from '../container.ts';

/**
 * What this isolate last saw of the database, per connection string: delivery responses served from KV
 * say they may be stale while the last attempt failed. Module state on purpose: it outlives requests
 * in the isolate, and a request that hits KV does not touch the database to find out.
 */
const lastOutcome = new Map<string, { ok: boolean; at: number }>();

const databaseBreaker = {
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

/** The breaker tracks the database this unit of work talks to, by its connection string. */
const databaseKey = (ctx: Pick<ServiceContext, 'services'>) => ctx.services.config.databaseUrl ?? '';

/** A database read on the delivery path, recorded by the breaker so KV answers can say they may be stale. */
export async function fromDatabase<T>(ctx: Pick<ServiceContext, 'services'>, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    databaseBreaker.succeeded(databaseKey(ctx));
    return result;
  } catch (err) {
    if (isDatabaseUnavailable(err)) databaseBreaker.failed(databaseKey(ctx));
    throw err;
  }
}

/** An answer from KV while this isolate's last database call failed: it may lag behind the database. */
export const kvAnswerMayBeStale = (ctx: Pick<ServiceContext, 'services'>): boolean =>
  databaseBreaker.seemsDown(databaseKey(ctx));
