import type { z } from 'zod';
import { describe } from '../../lib/logger.ts';
import type { Logger } from '../../lib/logger.ts';
import { withTimeout } from '../../lib/timeout.ts';
import { IsolateCache } from '../../cache/isolate-cache.ts';
import type { KvJson } from '../../cache/kv-json.ts';

/** KV answers in single-digit milliseconds; a read slower than this is treated as KV failing. */
const KV_TIMEOUT_MS = 1_000;

/**
 * Hot keys are kept in the isolate for 200 ms: a popular item or page costs five KV reads a second per
 * isolate instead of one per request, and freshness loses at most that (ADR 0017; at 1 s the bench
 * showed the same throughput and a publish → edge-visible p50 of ~1 s). One memo per namespace, so a
 * memo never answers for a different store.
 */
export const EDGE_MEMO_TTL_MS = 200;
let memos = new WeakMap<KVNamespace, IsolateCache<unknown>>();

/**
 * Forgets everything this isolate remembers of every store, as if EDGE_MEMO_TTL_MS had passed: a test
 * that needs the next read to reach KV calls it instead of sleeping past the TTL. Production never does.
 */
export function expireEdgeMemos(): void {
  memos = new WeakMap();
}

const memoOf = (kv: KVNamespace) => {
  let memo = memos.get(kv);
  if (!memo) {
    memo = new IsolateCache<unknown>({ ttlMs: EDGE_MEMO_TTL_MS, maxEntries: 5_000 });
    memos.set(kv, memo);
  }
  return memo;
};

export type EdgeRead<T> = { status: 'hit'; value: T } | { status: 'miss' } | { status: 'failed' };

/**
 * KV as the delivery read store, for the read path: a failing or slow KV is reported, never thrown, so
 * the caller can fall back to Postgres. A value of an unexpected shape (an older format) is a miss. Built
 * once per unit of work in the service container, over the same KvJson as everything else.
 */
export class EdgeStore {
  readonly kv: KvJson;
  readonly logger: Logger;

  constructor(kv: KvJson, logger: Logger) {
    this.kv = kv;
    this.logger = logger;
  }

  async read<S extends z.ZodType>(
    key: string,
    schema: S,
    options: { memoize?: boolean } = {},
  ): Promise<EdgeRead<z.infer<S>>> {
    const memo = options.memoize ? memoOf(this.kv.kv) : undefined;
    const remembered = memo?.get(key);
    if (remembered !== undefined) return { status: 'hit', value: remembered as z.infer<S> };
    try {
      const value = await withTimeout(this.kv.get(key, schema), KV_TIMEOUT_MS, 'KV read');
      if (value === undefined) return { status: 'miss' };
      memo?.set(key, value);
      return { status: 'hit', value };
    } catch (err) {
      this.logger.log('warn', 'delivery store read failed; falling back to the database', {
        key,
        error: describe(err),
      });
      return { status: 'failed' };
    }
  }

  /** Best effort: a fill that fails costs the next reader a database read, nothing more. */
  async fill(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await withTimeout(this.kv.put(key, value, { ttlSeconds }), KV_TIMEOUT_MS, 'KV write');
    } catch (err) {
      this.logger.log('warn', 'delivery store fill failed', { key, error: describe(err) });
    }
  }
}
