import { Pool } from '@neondatabase/serverless';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configureNeon } from '../../src/db/client.ts';
import { hostPort } from '../../scripts/local/postgres.ts';
import { startWsProxy, type WsProxy } from '../../scripts/local/ws-proxy.ts';

async function waitFor(check: () => boolean, timeoutMs = 3_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('local WebSocket-to-TCP proxy', () => {
  const databaseUrl = inject('databaseUrl');
  let proxy: WsProxy;

  beforeAll(async () => {
    proxy = await startWsProxy({ allowedTargets: [hostPort(databaseUrl).target] });
    configureNeon(proxy.neonWsProxy);
  });
  afterAll(() => proxy.close());

  it('carries the Neon driver to Postgres and closes both sides when the client terminates', async () => {
    const pool = new Pool({ connectionString: databaseUrl, max: 3 });
    const results = await Promise.all([1, 2, 3].map((n) => pool.query('select $1::int as n', [n])));
    expect(results.map((r) => r.rows[0].n)).toEqual([1, 2, 3]);
    expect(proxy.stats().open).toBeGreaterThan(0);
    await pool.end();
    // Without Terminate detection, PGlite and workerd leave these open for good.
    await waitFor(() => proxy.stats().open === 0);
  });

  it('refuses targets it was not given', async () => {
    const pool = new Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/x', connectionTimeoutMillis: 2_000 });
    pool.on('error', () => {});
    await expect(pool.query('select 1')).rejects.toThrow();
    await pool.end().catch(() => {});
    expect(proxy.stats().open).toBe(0);
  });
});
