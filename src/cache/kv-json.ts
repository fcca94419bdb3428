import type { z } from 'zod';

/** KV refuses an expirationTtl below 60 s. */
const KV_MIN_TTL_SECONDS = 60;

/**
 * JSON values in KV, validated on the way out so a stale or foreign shape is treated as a miss. KV's own
 * failures throw: queue consumers and heartbeats want them to (a retry); the delivery read path goes
 * through EdgeStore (services/delivery/edge-store.ts), which adds time limits and reports them instead.
 */
export class KvJson {
  readonly kv: KVNamespace;

  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get<S extends z.ZodType>(key: string, schema: S): Promise<z.infer<S> | undefined> {
    const raw = await this.kv.get(key, 'json');
    if (raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  /** Whether the key holds anything, whatever its shape (no parsing). */
  async has(key: string): Promise<boolean> {
    return (await this.kv.get(key)) !== null;
  }

  /** Without ttlSeconds the value does not expire; a TTL below KV's minimum is rounded up rather than failing the write. */
  async put(key: string, value: unknown, options?: { ttlSeconds?: number }): Promise<void> {
    const ttl =
      options?.ttlSeconds === undefined ? undefined : Math.max(KV_MIN_TTL_SECONDS, Math.ceil(options.ttlSeconds));
    await this.kv.put(key, JSON.stringify(value), ttl ? { expirationTtl: ttl } : {});
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }
}
