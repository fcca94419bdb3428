import { Client, Pool } from '@neondatabase/serverless';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configureNeon } from '../../src/db/client.ts';
import { hostPort, withDatabaseName } from '../../scripts/local/postgres.ts';
import { startWsProxy, type WsProxy } from '../../scripts/local/ws-proxy.ts';
import { POSTGRES_TAG } from '../stack/skip-report.ts';

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

describe('local proxy with session pooling (PostgreSQL)', { tags: [POSTGRES_TAG] }, () => {
  const databaseUrl = inject('databaseUrl');
  let proxy: WsProxy;

  beforeAll(async () => {
    proxy = await startWsProxy({ allowedTargets: [hostPort(databaseUrl).target], poolSessions: true });
    configureNeon(proxy.neonWsProxy);
  });
  afterAll(() => proxy.close());

  /** One short-lived connection, as a Worker request makes: connect, work, terminate. */
  async function session<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
  const pid = (client: Client) => client.query('select pg_backend_pid() as pid').then((r) => r.rows[0].pid as number);
  const waitIdle = () => waitFor(() => (proxy.stats().pool?.idle ?? 0) > 0 && proxy.stats().open === 0);

  it('hands the next connection the backend the last one left, instead of a new one', async () => {
    const first = await session(pid);
    await waitIdle();
    const before = proxy.stats().pool!;
    const second = await session(pid);
    expect(second).toBe(first);
    expect(proxy.stats().pool!.reused).toBe(before.reused + 1);
    expect(proxy.stats().pool!.opened).toBe(before.opened);
  });

  it('resets the session in between: settings, prepared statements, temp tables, advisory locks', async () => {
    const first = await session(async (client) => {
      await client.query("set statement_timeout = '1234ms'");
      await client.query({ name: 'leftover', text: 'select 1' });
      await client.query('create temp table scratch (n int)');
      await client.query('select pg_advisory_lock(424242)');
      return pid(client);
    });
    await waitIdle();
    const seen = await session(async (client) => ({
      pid: await pid(client),
      timeout: (await client.query('show statement_timeout')).rows[0].statement_timeout,
      statements: (await client.query('select count(*)::int as n from pg_prepared_statements')).rows[0].n,
      scratch: (await client.query("select to_regclass('pg_temp.scratch') as t")).rows[0].t,
      locks: (
        await client.query("select count(*)::int as n from pg_locks where locktype = 'advisory' and objid = 424242")
      ).rows[0].n,
    }));
    expect(seen).toEqual({ pid: first, timeout: '0', statements: 0, scratch: null, locks: 0 });
  });

  it('closes a backend whose client left inside a transaction, so its work is rolled back', async () => {
    const table = `pool_probe_${process.pid}`;
    await session((client) => client.query(`create table if not exists ${table} (n int)`));
    const left = await session(async (client) => {
      await client.query('begin');
      await client.query(`insert into ${table} values (1)`);
      return pid(client);
    });
    const after = await session(async (client) => ({
      pid: await pid(client),
      rows: (await client.query(`select count(*)::int as n from ${table}`)).rows[0].n,
    }));
    expect(after.pid).not.toBe(left);
    expect(after.rows).toBe(0);
    await session((client) => client.query(`drop table ${table}`));
  });

  it('passes a failed startup through to the client and pools nothing of it', async () => {
    const before = proxy.stats().pool!;
    const client = new Client({ connectionString: withDatabaseName(databaseUrl, 'no_such_database_here') });
    await expect(client.connect()).rejects.toThrow(/does not exist/);
    await client.end().catch(() => {});
    expect(proxy.stats().pool!.opened).toBe(before.opened);
  });

  it('serves many concurrent short connections with a few backends', async () => {
    const pids = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        session(async (c) => ((await c.query('select $1::int as n', [i])).rows[0].n === i ? pid(c) : -1)),
      ),
    );
    expect(pids).not.toContain(-1);
    // Every client has gone and handed its backend back (a backend still busy or leaked never gets here).
    await waitFor(() => proxy.stats().open === 0 && proxy.stats().pool!.backends === proxy.stats().pool!.idle);
    const { backends, idle } = proxy.stats().pool!;
    expect(backends).toBe(idle);
    expect(backends).toBeLessThanOrEqual(32); // the idle cap per startup
  });
});

describe('local proxy in front of PGlite (one session for every connection)', () => {
  it('serializes connections so concurrent statements and transactions never interleave', async () => {
    const { startPgliteServer } = await import('../../scripts/local/pglite-server.ts');
    const pglite = await startPgliteServer({});
    const proxy = await startWsProxy({
      allowedTargets: [hostPort(pglite.databaseUrl).target],
      serializeSessions: true,
    });
    configureNeon(proxy.neonWsProxy);
    const pool = new Pool({ connectionString: pglite.databaseUrl, max: 10 });
    try {
      await pool.query('create table counters (id int primary key, n int not null)');
      await pool.query('insert into counters values (1, 0)');
      // Extended-protocol queries from ten connections at once: unserialized, their unnamed statements
      // clobber each other in PGlite's single session (SQLSTATE 26000).
      const values = await Promise.all(
        Array.from({ length: 60 }, (_, i) => pool.query('select $1::int + 1 as v', [i])),
      );
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
    const proxy = await startWsProxy({
      allowedTargets: [hostPort(pglite.databaseUrl).target],
      serializeSessions: true,
    });
    try {
      const url = `ws://${proxy.neonWsProxy}?address=${hostPort(pglite.databaseUrl).target}`;
      const a = await rawSession(url);
      const b = await rawSession(url);
      // A parses, then B parses (held by the proxy until A is done), then A binds and executes. Each
      // send waits until the proxy has the one before, so the order is the proxy's, not the network's.
      const seen = (frames: number) => waitFor(() => proxy.stats().frames === frames);
      const before = proxy.stats().frames;
      a.send(wire.parse('select 1 as v'));
      await seen(before + 1);
      b.send(Buffer.concat([wire.parse('select 2 as v'), wire.bind(), wire.execute(), wire.sync()]));
      await seen(before + 2);
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
  let changed = () => {};
  /** Resolves when `check` holds, re-checked on every message from the backend (the test's timeout bounds it). */
  const when = (check: () => boolean) =>
    new Promise<void>((resolve) => {
      changed = () => check() && resolve();
      changed();
    });
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
    changed();
  });
  await new Promise((resolve) => ws.once('open', resolve));
  ws.send(wire.startup());
  await when(() => ready);
  return {
    send: (chunk: Buffer) => ws.send(chunk),
    close: () => ws.close(),
    async nextValue(): Promise<string> {
      await when(() => values.length > 0);
      return values.shift()!;
    },
  };
}
