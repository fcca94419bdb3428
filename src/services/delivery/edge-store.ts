import type { z } from 'zod';
import { describe } from '../../lib/error-mapping.ts';
import type { Logger } from '../../lib/logger.ts';
import { withTimeout } from '../../lib/timeout.ts';

/** KV answers in single-digit milliseconds; a read slower than this is treated as KV failing. */
const KV_TIMEOUT_MS = 1_000;

export type EdgeRead<T> = { status: 'hit'; value: T } | { status: 'miss' } | { status: 'failed' };

/**
 * KV as the delivery read store, for the read path: a failing or slow KV is reported, never thrown, so
 * the caller can fall back to Postgres. A value of an unexpected shape (an older format) is a miss.
 */
export class EdgeStore {
  readonly kv: KVNamespace;
  readonly logger: Logger;

  constructor(kv: KVNamespace, logger: Logger) {
    this.kv = kv;
    this.logger = logger;
  }

  async read<S extends z.ZodType>(key: string, schema: S): Promise<EdgeRead<z.infer<S>>> {
    try {
      const raw = await withTimeout(this.kv.get(key, 'json'), KV_TIMEOUT_MS, 'KV read');
      if (raw === null) return { status: 'miss' };
      const parsed = schema.safeParse(raw);
      return parsed.success ? { status: 'hit', value: parsed.data } : { status: 'miss' };
    } catch (err) {
      this.logger.log('warn', 'delivery store read failed; falling back to the database', { key, error: describe(err) });
      return { status: 'failed' };
    }
  }

  /** Best effort: a fill that fails costs the next reader a database read, nothing more. */
  async fill(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      await withTimeout(this.kv.put(key, JSON.stringify(value), { expirationTtl: Math.max(60, ttlSeconds) }), KV_TIMEOUT_MS, 'KV write');
    } catch (err) {
      this.logger.log('warn', 'delivery store fill failed', { key, error: describe(err) });
    }
  }

  /** Fills only when the key is still empty, so a fill never overwrites what an event consumer wrote. */
  async fillIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    try {
      if ((await withTimeout(this.kv.get(key), KV_TIMEOUT_MS, 'KV read')) !== null) return;
    } catch {
      return;
    }
    await this.fill(key, value, ttlSeconds);
  }
}
