import { isDatabaseUnavailable } from '../../db/errors.ts';
import type { ServiceContext } from '../container.ts';
import { databaseBreaker } from './database-breaker.ts';
import { EdgeStore } from './edge-store.ts';

/** A delivery request's services plus the KV read store and which database the breaker tracks. */
export interface DeliveryContext extends ServiceContext {
  store: EdgeStore;
  /** Identifies the database for the isolate's breaker (its connection string). */
  databaseKey: string;
}

export function deliveryContext(ctx: ServiceContext, databaseKey: string): DeliveryContext {
  return { ...ctx, store: new EdgeStore(ctx.services.kv.kv, ctx.logger), databaseKey };
}

/** A database read on the delivery path, recorded by the breaker so KV answers can say they may be stale. */
export async function fromDatabase<T>(ctx: DeliveryContext, work: () => Promise<T>): Promise<T> {
  try {
    const result = await work();
    databaseBreaker.succeeded(ctx.databaseKey);
    return result;
  } catch (err) {
    if (isDatabaseUnavailable(err)) databaseBreaker.failed(ctx.databaseKey);
    throw err;
  }
}
