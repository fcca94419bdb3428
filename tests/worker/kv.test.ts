import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KvJson } from '../../src/cache/kv-json.ts';
import { systemKey, tenantKey, tenantPrefix } from '../../src/cache/kv-keys.ts';

const snapshot = z.object({ title: z.string(), version: z.number() });

describe('KV (delivery cache binding)', () => {
  const kv = new KvJson(env.DELIVERY_CACHE);
  const orgA = crypto.randomUUID();
  const orgB = crypto.randomUUID();

  it('writes and reads JSON under tenant-prefixed keys', async () => {
    await kv.put(tenantKey(orgA, 'item', 'x1'), { title: 'A', version: 2 }, { ttlSeconds: 300 });
    await kv.put(tenantKey(orgB, 'item', 'x1'), { title: 'B', version: 5 });
    expect(await kv.get(tenantKey(orgA, 'item', 'x1'), snapshot)).toEqual({ title: 'A', version: 2 });
    expect(await kv.get(tenantKey(orgB, 'item', 'x1'), snapshot)).toEqual({ title: 'B', version: 5 });
    const listed = await env.DELIVERY_CACHE.list({ prefix: tenantPrefix(orgA) });
    expect(listed.keys.map((k) => k.name)).toEqual([`org:${orgA}:item:x1`]);
  });

  it('treats a missing key or a value of the wrong shape as a miss', async () => {
    expect(await kv.get(tenantKey(orgA, 'item', 'absent'), snapshot)).toBeUndefined();
    await env.DELIVERY_CACHE.put(tenantKey(orgA, 'item', 'legacy'), JSON.stringify({ title: 'old shape' }));
    expect(await kv.get(tenantKey(orgA, 'item', 'legacy'), snapshot)).toBeUndefined();
  });

  it('deletes', async () => {
    await kv.put(systemKey('probe'), { title: 't', version: 1 });
    await kv.delete(systemKey('probe'));
    expect(await kv.get(systemKey('probe'), snapshot)).toBeUndefined();
  });

  it('refuses key parts that could escape a tenant prefix', () => {
    expect(() => tenantKey(orgA, 'a:b')).toThrow(/unsafe/);
    expect(() => tenantKey('', 'x')).toThrow(/unsafe/);
    expect(() => tenantKey(orgA, '../x')).toThrow(/unsafe/);
    expect(() => systemKey('a b')).toThrow(/unsafe/);
  });
});
