import { Pool } from '@neondatabase/serverless';
import { createRequire } from 'node:module';
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

describe('local proxy in front of PGlite (one session for every connection)', () => {
  it('serializes connections so concurrent statements and transactions never interleave', async () => {
    const { startPgliteServer } = await import('../../scripts/local/pglite-server.ts');
    const pglite = await startPgliteServer({});
    const proxy = await startWsProxy({ allowedTargets: [hostPort(pglite.databaseUrl).target], serializeSessions: true });
    configureNeon(proxy.neonWsProxy);
    const pool = new Pool({ connectionString: pglite.databaseUrl, max: 10 });
    try {
      await pool.query('create table counters (id int primary key, n int not null)');
      await pool.query('insert into counters values (1, 0)');
      // Extended-protocol queries from ten connections at once: unserialized, their unnamed statements
      // clobber each other in PGlite's single session (SQLSTATE 26000).
      const values = await Promise.all(Array.from({ length: 60 }, (_, i) => pool.query('select $1::int + 1 as v', [i])));
      expect(values.map((r) => r.rows[0].v)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // Read-modify-write transactions from many connections: each must see the others' commits.
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          const client = await pool.connect();
          try {
            await client.query('begin');
            const { rows } = await client.query('select n from counters where id = 1');
            await client.query('update counters set n = $1 where id = 1', [rows[0].n + 1]);
            await client.query('commit');
          } finally {
            client.release();
          }
        }),
      );
      expect((await pool.query('select n from counters where id = 1')).rows[0].n).toBe(20);
    } finally {
      await pool.end();
      await proxy.close();
      await pglite.close();
    }
  }, 60_000);

  it('keeps a query cycle split across frames whole while another connection parses in between', async () => {
    const { startPgliteServer } = await import('../../scripts/local/pglite-server.ts');
    const pglite = await startPgliteServer({});
    const proxy = await startWsProxy({ allowedTargets: [hostPort(pglite.databaseUrl).target], serializeSessions: true });
    try {
      const url = `ws://${proxy.neonWsProxy}?address=${hostPort(pglite.databaseUrl).target}`;
      const a = await rawSession(url);
      const b = await rawSession(url);
      // A parses, then B parses (held by the proxy until A is done), then A binds and executes.
      a.send(wire.parse('select 1 as v'));
      await sleep(50);
      b.send(Buffer.concat([wire.parse('select 2 as v'), wire.bind(), wire.execute(), wire.sync()]));
      await sleep(50);
      a.send(Buffer.concat([wire.bind(), wire.execute(), wire.sync()]));
      // Unserialized, A's Bind picks up B's unnamed statement (2) or fails with SQLSTATE 26000.
      expect(await a.nextValue()).toBe('1');
      expect(await b.nextValue()).toBe('2');
      a.close();
      b.close();
    } finally {
      await proxy.close();
      await pglite.close();
    }
  }, 30_000);
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Frontend messages of the extended query protocol, unnamed statement and portal. */
const wire = {
  message(type: string, body: Buffer) {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(body.length + 4, 1);
    return Buffer.concat([head, body]);
  },
  parse: (sql: string) => wire.message('P', Buffer.concat([Buffer.from(`\0${sql}\0`), Buffer.alloc(2)])),
  bind: () => wire.message('B', Buffer.concat([Buffer.from('\0\0'), Buffer.alloc(6)])),
  execute: () => wire.message('E', Buffer.concat([Buffer.from('\0'), Buffer.alloc(4)])),
  sync: () => wire.message('S', Buffer.alloc(0)),
  startup() {
    const params = Buffer.from('user\0postgres\0database\0postgres\0\0');
    const head = Buffer.alloc(8);
    head.writeInt32BE(params.length + 8, 0);
    head.writeInt32BE(196608, 4);
    return Buffer.concat([head, params]);
  },
};

/** A bare protocol session over the proxy: startup, then the text value of each DataRow, or the error. */
async function rawSession(url: string) {
  const { WebSocket } = createRequire(import.meta.url)('ws') as typeof import('ws');
  const ws = new WebSocket(url);
  let buffered = Buffer.alloc(0);
  const values: string[] = [];
  let ready = false;
  ws.on('message', (data: Buffer) => {
    buffered = Buffer.concat([buffered, data]);
    while (buffered.length >= 5) {
      const length = buffered.readInt32BE(1);
      if (buffered.length < length + 1) break;
      const type = String.fromCharCode(buffered[0]!);
      const body = buffered.subarray(5, length + 1);
      if (type === 'Z') ready = true;
      if (type === 'D') values.push(body.subarray(6, 6 + body.readInt32BE(2)).toString());
      if (type === 'E') values.push(`error: ${body.toString('latin1').replace(/\0/g, ' ')}`);
      buffered = buffered.subarray(length + 1);
    }
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(wire.startup());
  const deadline = Date.now() + 5_000;
  while (!ready && Date.now() < deadline) await sleep(10);
  return {
    send: (chunk: Buffer) => ws.send(chunk),
    close: () => ws.close(),
    async nextValue(): Promise<string> {
      const until = Date.now() + 5_000;
      while (values.length === 0 && Date.now() < until) await sleep(10);
      return values.shift() ?? 'timeout';
    },
  };
}
