/**
 * End-to-end tests of the local Upstash REST server (scripts/local/upstash/)
 * with the real @upstash/redis and @upstash/ratelimit clients, against both backends:
 * a real redis-server (REDIS_URL, default redis://127.0.0.1:6379) and the in-memory
 * ioredis-mock. Every server here is started by the test itself on a random port.
 */
import { createHash, randomUUID } from 'node:crypto';
import net from 'node:net';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { Redis as IORedis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MockInstance } from 'vitest';
import { startUpstashServer } from '../../scripts/local/upstash/http.ts';
import type { UpstashServer } from '../../scripts/local/upstash/http.ts';
import { PING_TIMEOUT_MS, redact, REDIS_CLIENT_NAME } from '../../scripts/local/upstash/redis-backend.ts';

const TOKEN = `test-token-${randomUUID()}`;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UNKNOWN_SHA = '0'.repeat(40);

/** Why the redis backend cannot be tested here, or undefined when Redis answers PING. */
async function redisUnavailableReason(url: string): Promise<string | undefined> {
  const probe = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let cause: Error | undefined;
  probe.on('error', (err: Error) => {
    cause = err;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no answer within 1000 ms')), 1000);
      }),
    ]);
    return undefined;
  } catch (err) {
    const message = (cause ?? (err instanceof Error ? err : new Error(String(err)))).message;
    return `no Redis answering at ${redact(url)} (${message}), so the server would fall back to memory`;
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

const REDIS_SKIP_REASON = await redisUnavailableReason(REDIS_URL);
if (REDIS_SKIP_REASON) console.warn(`[upstash-server.test] skipping redis-backend tests: ${REDIS_SKIP_REASON}`);

const BACKENDS = [
  { kind: 'redis', redisUrl: REDIS_URL, skipReason: REDIS_SKIP_REASON },
  { kind: 'memory', redisUrl: undefined, skipReason: undefined },
] as const;

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

async function raw(
  server: UpstashServer,
  path: string,
  body: string,
  token = TOKEN,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as unknown };
}

describe.each(BACKENDS)('upstash-server, $kind backend', ({ kind, redisUrl, skipReason }) => {
  const title = skipReason ? `SKIPPED: ${skipReason}` : 'with the real @upstash clients';
  describe.skipIf(skipReason !== undefined)(title, () => {
    let server: UpstashServer;
    let redis: Redis;
    const logs: string[] = [];
    const p = `upstash-test:${randomUUID()}:`; // fresh keys: the real Redis is shared

    // Every request the clients send, to prove which Lua path ratelimit took.
    let fetchSpy: MockInstance<typeof fetch>;
    beforeEach(() => {
      fetchSpy = vi.spyOn(globalThis, 'fetch'); // calls through to the real fetch
    });
    afterEach(() => {
      fetchSpy.mockRestore();
    });

    /** Command names sent since call `since`; auto-pipelining (on by default) batches them into /pipeline. */
    function commandNames(since: number): string[] {
      const first = (cmd: unknown): string[] =>
        Array.isArray(cmd) && typeof cmd[0] === 'string' ? [cmd[0].toLowerCase()] : [];
      return fetchSpy.mock.calls.slice(since).flatMap(([, init]) => {
        if (typeof init?.body !== 'string') return [];
        const body = JSON.parse(init.body) as unknown;
        return Array.isArray(body) && Array.isArray(body[0]) ? body.flatMap(first) : first(body);
      });
    }

    beforeAll(async () => {
      server = await startUpstashServer({ token: TOKEN, redisUrl, port: 0, log: (msg) => logs.push(msg) });
      redis = new Redis({ url: server.url, token: TOKEN });
    });

    afterAll(async () => {
      if (!server) return;
      try {
        const keys = await redis.keys(`${p}*`);
        if (keys.length > 0) await redis.del(...keys);
        expect(await redis.keys(`${p}*`)).toEqual([]);
      } finally {
        await server.close();
      }
    });

    it(`runs on the ${kind} backend`, () => {
      // Redis answered the probe above, so a fallback to memory here is a failure, not a skip.
      expect(server.backend, logs.join('\n')).toBe(kind);
    });

    it('set/get ASCII and non-ASCII strings', async () => {
      expect(await redis.set(`${p}s`, 'hello')).toBe('OK');
      expect(await redis.get(`${p}s`)).toBe('hello');
      const text = 'héllo wörld ✓ 日本語 🎉 "quoted" \\ back';
      await redis.set(`${p}u`, text);
      expect(await redis.get(`${p}u`)).toBe(text);
      expect(await redis.get(`${p}missing`)).toBeNull();
      // A stored value that is literally "OK" (the client passes top-level "OK" through undecoded).
      await redis.set(`${p}ok`, 'OK');
      expect(await redis.get(`${p}ok`)).toBe('OK');
      expect(await redis.mget(`${p}ok`, `${p}u`, `${p}missing`)).toEqual(['OK', text, null]);
    });

    it('incr', async () => {
      expect(await redis.incr(`${p}n`)).toBe(1);
      expect(await redis.incr(`${p}n`)).toBe(2);
      expect(await redis.incrby(`${p}n`, 5)).toBe(7);
    });

    it('expire/ttl and SET EX', async () => {
      await redis.set(`${p}e`, 'v');
      expect(await redis.ttl(`${p}e`)).toBe(-1);
      expect(await redis.expire(`${p}e`, 100)).toBe(1);
      const ttl = await redis.ttl(`${p}e`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(100);
      await redis.set(`${p}ex`, 'v', { ex: 10 });
      const ttl2 = await redis.ttl(`${p}ex`);
      expect(ttl2).toBeGreaterThan(0);
      expect(ttl2).toBeLessThanOrEqual(10);
    });

    it('pipeline', async () => {
      const out = await redis.pipeline().set(`${p}pl`, 'a').incr(`${p}pc`).incr(`${p}pc`).get(`${p}pl`).exec();
      expect(out).toEqual(['OK', 1, 2, 'a']);
      // A failing command inside a pipeline does not stop the others.
      const kept = await redis.pipeline().evalsha(UNKNOWN_SHA, [], []).get(`${p}pl`).exec({ keepErrors: true });
      expect(String(kept[0]?.error)).toMatch(/NOSCRIPT/);
      expect(kept[1]?.result).toBe('a');
      await expect(redis.pipeline().evalsha(UNKNOWN_SHA, [], []).exec()).rejects.toThrow(/NOSCRIPT/);
    });

    it('multi-exec transaction', async () => {
      const out = await redis.multi().set(`${p}tx`, '10').incrby(`${p}tx`, 5).get(`${p}tx`).exec();
      expect(out).toEqual(['OK', 15, 15]);
    });

    it('hset/hgetall', async () => {
      expect(await redis.hset(`${p}h`, { name: 'Zoë', count: 3, n10: 'ten' })).toBe(3);
      expect(await redis.hgetall(`${p}h`)).toEqual({ name: 'Zoë', count: 3, n10: 'ten' });
      expect(await redis.hget(`${p}h`, 'name')).toBe('Zoë');
    });

    it('JSON object value round trip', async () => {
      const value = { id: 'x1', tags: ['a', 'ü'], nested: { n: 1.5, ok: true, none: null } };
      await redis.set(`${p}json`, value);
      expect(await redis.get(`${p}json`)).toEqual(value);
    });

    it('Redis error → UpstashError (400)', async () => {
      await expect(redis.evalsha(UNKNOWN_SHA, [], [])).rejects.toThrow(/NOSCRIPT/);
      // ioredis-mock does not type-check keys, so WRONGTYPE only exists on real Redis.
      if (kind === 'redis') {
        await redis.set(`${p}str`, 'x');
        await expect(redis.hget(`${p}str`, 'f')).rejects.toThrow(/WRONGTYPE/);
      }
      const r = await raw(server, '/', JSON.stringify(['NOSUCHCOMMAND', 'x']));
      expect(r.status).toBe(400);
      expect(String((r.json as { error?: unknown }).error)).toMatch(/^ERR /);
    });

    it('wrong/missing token → 401', async () => {
      const bad = new Redis({ url: server.url, token: 'wrong-token' });
      await expect(bad.get(`${p}s`)).rejects.toThrow(/Unauthorized/);
      expect(await raw(server, '/', JSON.stringify(['PING']), 'nope')).toEqual({
        status: 401,
        json: { error: 'Unauthorized' },
      });
      const none = await fetch(server.url, { method: 'POST', body: '["PING"]' });
      expect(none.status).toBe(401);
      await none.body?.cancel();
    });

    it('bad requests: invalid JSON 400, non-array 400, >1 MiB 413', async () => {
      expect((await raw(server, '/', '{nope')).status).toBe(400);
      expect((await raw(server, '/', '{"cmd":"PING"}')).status).toBe(400);
      expect((await raw(server, '/pipeline', '["PING"]')).status).toBe(400);
      const big = await raw(server, '/', JSON.stringify(['SET', `${p}big`, 'x'.repeat(1024 * 1024 + 10)]));
      expect(big.status).toBe(413);
    });

    it('path form /set/k/v and raw (unencoded) replies', async () => {
      const set = await raw(server, `/set/${encodeURIComponent(`${p}path`)}/${encodeURIComponent('v 1/ü')}`, '');
      expect(set).toEqual({ status: 200, json: { result: 'OK' } });
      const get = await fetch(`${server.url}/get/${encodeURIComponent(`${p}path`)}`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await get.json()).toEqual({ result: 'v 1/ü' });
      const pl = await raw(
        server,
        '/pipeline',
        JSON.stringify([['GET', `${p}path`], ['NOSUCHCOMMAND'], ['EXISTS', `${p}path`]]),
      );
      expect(pl.status).toBe(200);
      const items = pl.json as { result?: unknown; error?: unknown }[];
      expect(items[0]).toEqual({ result: 'v 1/ü' });
      expect(String(items[1]?.error)).toMatch(/^ERR unknown command/);
      expect(items[2]).toEqual({ result: 1 });
      // EXECABORT: a transaction with an invalid command runs nothing.
      const tx = await raw(server, '/multi-exec', JSON.stringify([['SET', `${p}abort`, '1'], ['NOSUCHCOMMAND']]));
      expect(tx.status).toBe(400);
      expect(String((tx.json as { error?: unknown }).error)).toMatch(/EXECABORT/);
      expect(await redis.exists(`${p}abort`)).toBe(0);
    });

    it('Upstash-Encoding: base64 on the wire', async () => {
      const b64 = { 'upstash-encoding': 'base64' };
      const enc = (t: string): string => Buffer.from(t, 'utf8').toString('base64');
      // Top-level "OK" stays plain (as the client expects); other strings are base64, nested too.
      expect(await raw(server, '/', JSON.stringify(['SET', `${p}w`, 'ü']), TOKEN, b64)).toEqual({
        status: 200,
        json: { result: 'OK' },
      });
      expect((await raw(server, '/', JSON.stringify(['GET', `${p}w`]), TOKEN, b64)).json).toEqual({ result: enc('ü') });
      const mget = await raw(server, '/', JSON.stringify(['MGET', `${p}w`, `${p}nope`]), TOKEN, b64);
      expect(mget.json).toEqual({ result: [enc('ü'), null] });
      const nested = await raw(
        server,
        '/pipeline',
        JSON.stringify([
          ['EVAL', 'return {1, "OK", {"x"}}', 0],
          ['INCR', `${p}wn`],
        ]),
        TOKEN,
        b64,
      );
      expect(nested.json).toEqual([{ result: [1, enc('OK'), [enc('x')]] }, { result: 1 }]);
    });

    it('Lua: SCRIPT LOAD returns original sha, EVALSHA works, unknown sha → NOSCRIPT', async () => {
      const shebangScript = '#!lua flags=allow-key-locking\nreturn {redis.call("INCR", KEYS[1]), ARGV[1]}';
      const sha = await redis.scriptLoad(shebangScript);
      expect(sha).toBe(sha1(shebangScript));
      expect(await redis.evalsha(sha, [`${p}lua`], ['ü'])).toEqual([1, 'ü']);
      expect(await redis.eval(shebangScript, [`${p}lua`], ['x'])).toEqual([2, 'x']);
      await expect(redis.evalsha(UNKNOWN_SHA, [], [])).rejects.toThrow(/NOSCRIPT/);
      const ro = '#!lua flags=allow-key-locking\nreturn redis.call("GET", KEYS[1])';
      expect(await redis.evalRo(ro, [`${p}lua`], [])).toBe(2);
      // Other shebang flags survive on real Redis (no-writes is what lets EVAL_RO run it).
      expect(await redis.evalRo('#!lua flags=no-writes,allow-key-locking\nreturn ARGV[1]', [], ['z'])).toBe('z');
    });

    // Each limiter must allow 3 calls and reject the 4th within the window.
    const limiters = {
      slidingWindow: Ratelimit.slidingWindow(3, '10 s'),
      fixedWindow: Ratelimit.fixedWindow(3, '10 s'),
      tokenBucket: Ratelimit.tokenBucket(1, '10 s', 3),
    };
    for (const [name, limiter] of Object.entries(limiters)) {
      // Known limitation: ioredis-mock's Lua VM cannot run the token-bucket script (its first
      // call dies with "attempt to perform arithmetic on a nil value (local 'refilledAt')").
      // it.fails documents that and turns red if the mock ever starts running it.
      const test = kind === 'memory' && name === 'tokenBucket' ? it.fails : it;
      test(`ratelimit ${name}: 4th call in window rejected, EVALSHA reused after first EVAL`, async () => {
        const rl = new Ratelimit({ redis, limiter, prefix: `${p}rl:${name}`, ephemeralCache: false, analytics: false });
        const since = fetchSpy.mock.calls.length;
        const outcomes: boolean[] = [];
        for (let i = 0; i < 4; i++) outcomes.push((await rl.limit('user-1')).success);
        expect(outcomes).toEqual([true, true, true, false]);
        // First call: EVALSHA (original hash) → NOSCRIPT → EVAL; afterwards the EVALSHA must hit.
        expect(commandNames(since)).toEqual(['evalsha', 'eval', 'evalsha', 'evalsha', 'evalsha']);
      });
    }
  });
});

describe.skipIf(REDIS_SKIP_REASON !== undefined)(
  REDIS_SKIP_REASON
    ? `upstash-server reconnect, SKIPPED: ${REDIS_SKIP_REASON}`
    : 'upstash-server reconnect, redis backend',
  () => {
    it('reconnects after Redis drops the server’s connection', { timeout: 10_000 }, async () => {
      const logs: string[] = [];
      let restored!: () => void;
      const reconnected = new Promise<void>((resolve) => (restored = resolve));
      const server = await startUpstashServer({
        token: TOKEN,
        redisUrl: REDIS_URL,
        port: 0,
        log: (msg) => {
          logs.push(msg);
          if (msg.includes('restored')) restored();
        },
      });
      // Separate admin connection, used only to look up and kill the server's own connection.
      const admin = new IORedis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      admin.on('error', () => {});
      // No client-side retries: recovery must come from the server reconnecting.
      const redis = new Redis({ url: server.url, token: TOKEN, retry: false });
      const key = `upstash-test:${randomUUID()}:reconnect`;
      const clientId = async (): Promise<number> => {
        const r = await raw(server, '/', JSON.stringify(['CLIENT', 'ID']));
        expect(r.status).toBe(200);
        return (r.json as { result: number }).result;
      };
      const clientName = async (id: number): Promise<string | undefined> => {
        const list = (await admin.call('CLIENT', 'LIST', 'ID', String(id))) as string;
        return /(?:^| )name=(\S*)/.exec(list)?.[1];
      };
      try {
        expect(server.backend, logs.join('\n')).toBe('redis');
        await admin.connect();
        expect(await redis.set(key, 'before')).toBe('OK');

        const before = await clientId();
        expect(await clientName(before)).toBe(REDIS_CLIENT_NAME);
        expect(await admin.call('CLIENT', 'KILL', 'ID', String(before))).toBe(1);

        // The server says when its connection is back (the test's timeout bounds the wait); from then on
        // the first request must succeed, with no client-side retry.
        await reconnected;
        expect(await redis.get(key), logs.join('\n')).toBe('before');

        // It really is a new connection, named again, and writes work too.
        const after = await clientId();
        expect(after).not.toBe(before);
        expect(await clientName(after)).toBe(REDIS_CLIENT_NAME);
        expect(await redis.set(key, 'after')).toBe('OK');
        expect(await redis.get(key)).toBe('after');
        expect(logs.some((l) => l.includes('lost; reconnecting'))).toBe(true);
        expect(logs.some((l) => l.includes('restored'))).toBe(true);
      } finally {
        await redis.del(key).catch(() => {});
        await server.close();
        admin.disconnect();
      }
    });
  },
);

describe('upstash-server, Redis probe at start-up', () => {
  // The probe runs on a frozen clock: a start that waited for its timeout would never finish unless the
  // test moves the clock, and a reconnect scheduled for later only happens when the test runs the clock out.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A TCP server that records each connection (by the client's port) and treats it with `onConnection`. */
  async function fakeRedis(onConnection: (socket: net.Socket) => void) {
    const sockets = new Set<net.Socket>();
    const clientPorts: number[] = [];
    let accepted = () => {};
    let closed!: () => void;
    const firstClosed = new Promise<void>((resolve) => (closed = resolve));
    const srv = net.createServer((socket) => {
      clientPorts.push(socket.remotePort!);
      sockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        closed();
      });
      socket.on('error', () => {});
      accepted();
      onConnection(socket);
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    const { port } = srv.address() as net.AddressInfo;
    /** Resolves once a connection from `clientPort` (any, when undefined) has been accepted. */
    const acceptedFrom = (clientPort?: number) =>
      new Promise<void>((resolve) => {
        accepted = () =>
          (clientPort === undefined ? clientPorts.length > 0 : clientPorts.includes(clientPort)) && resolve();
        accepted();
      });
    return {
      url: `redis://127.0.0.1:${port}`,
      open: () => sockets.size,
      firstConnected: acceptedFrom(),
      firstClosed,
      /**
       * The connections accepted before a marker connection made now. Connections are accepted in the
       * order they are made, so once the marker is in, any reconnect started earlier is counted: this
       * proves none came without waiting for one.
       */
      async connectionsBeforeMarker(): Promise<number> {
        const marker = net.connect(port, '127.0.0.1');
        await new Promise((resolve) => marker.once('connect', resolve));
        const markerPort = marker.localPort!;
        await acceptedFrom(markerPort);
        marker.destroy();
        return clientPorts.indexOf(markerPort);
      },
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((resolve) => srv.close(() => resolve()));
      },
    };
  }

  /** Runs the clock far past every backoff the server's Redis client could have scheduled. */
  const runOutTheClock = () => vi.advanceTimersByTimeAsync(60_000);

  it('unreachable REDIS_URL (connection refused) falls back to memory at once, not after the probe timeout', async () => {
    const logs: string[] = [];
    const server = await startUpstashServer({
      token: TOKEN,
      redisUrl: 'redis://127.0.0.1:1',
      port: 0,
      log: (msg) => logs.push(msg),
    });
    await server.close();
    expect(server.backend).toBe('memory');
    expect(logs.join('\n')).toMatch(/ECONNREFUSED/);
  });

  it('a Redis that drops the connection falls back at once and does not retry', async () => {
    const fake = await fakeRedis((socket) => socket.destroy());
    try {
      const server = await startUpstashServer({ token: TOKEN, redisUrl: fake.url, port: 0 });
      await server.close();
      expect(server.backend).toBe('memory');
      await runOutTheClock();
      expect(await fake.connectionsBeforeMarker()).toBe(1);
    } finally {
      await fake.close();
    }
  });

  it('a Redis that never answers falls back when the probe times out and lets go of the socket', async () => {
    const fake = await fakeRedis((socket) => socket.resume()); // reads and discards, never replies
    try {
      let started = false;
      const starting = startUpstashServer({ token: TOKEN, redisUrl: fake.url, port: 0 }).then((server) => {
        started = true;
        return server;
      });
      await fake.firstConnected;
      await vi.advanceTimersByTimeAsync(PING_TIMEOUT_MS - 1);
      expect(started).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      const server = await starting;
      await server.close();
      expect(server.backend).toBe('memory');
      expect(PING_TIMEOUT_MS).toBeLessThan(1_000);
      await fake.firstClosed;
      expect(fake.open()).toBe(0);
      await runOutTheClock();
      expect(await fake.connectionsBeforeMarker()).toBe(1);
    } finally {
      await fake.close();
    }
  });
});
