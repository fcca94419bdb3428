import type { z } from 'zod';

/** JSON values in KV, validated on the way out so a stale or foreign shape is treated as a miss. */
export class KvJson {
  readonly kv: KVNamespace;

  constructor(kv: KVNamespace) {
    this.kv = kv;
  }

  async get<S extends z.ZodType>(
    key: string,
    schema: S,
    options?: { cacheTtl?: number },
  ): Promise<z.infer<S> | undefined> {
    const raw = await this.kv.get(key, { type: 'json', ...(options?.cacheTtl ? { cacheTtl: options.cacheTtl } : {}) });
    if (raw === null) return undefined;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : undefined;
  }

  async put(
    key: string,
    value: unknown,
    options?: { ttlSeconds?: number; metadata?: Record<string, unknown> },
  ): Promise<void> {
    // KV refuses expirationTtl below 60 s; round short TTLs up rather than fail the write.
    const ttl = options?.ttlSeconds === undefined ? undefined : Math.max(60, Math.ceil(options.ttlSeconds));
    await this.kv.put(key, JSON.stringify(value), {
      ...(ttl ? { expirationTtl: ttl } : {}),
      ...(options?.metadata ? { metadata: options.metadata } : {}),
    });
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(key);
  }
}
