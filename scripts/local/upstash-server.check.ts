/**
 * End-to-end check of the local Upstash REST server with the real clients.
 *
 *   PATH=node_modules/.bin:$PATH node scripts/local/upstash-server.check.ts
 *
 * Runs every check against the real Redis (REDIS_URL, default
 * redis://127.0.0.1:6379) and against the in-memory backend. Exits 1 on failure.
 */
import assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import { Ratelimit } from '@upstash/ratelimit';
import { Redis } from '@upstash/redis';
import { startUpstashServer } from './upstash-server.ts';
import type { UpstashServer } from './upstash-server.ts';

const TOKEN = 'check-token';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UNKNOWN_SHA = '0'.repeat(40);

type Outcome = 'PASS' | 'FAIL' | 'SKIP';
const results: { backend: string; name: string; outcome: Outcome; detail?: string }[] = [];

// Every request body the clients send, to prove which Lua path ratelimit took.
const sent: { url: string; body: unknown }[] = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  if (typeof init?.body === 'string') sent.push({ url, body: JSON.parse(init.body) as unknown });
  return realFetch(input, init);
};

/** Command names sent since `since`; auto-pipelining (on by default) batches them into /pipeline. */
function commandNames(since: number): string[] {
  const first = (cmd: unknown): string[] => (Array.isArray(cmd) && typeof cmd[0] === 'string' ? [cmd[0].toLowerCase()] : []);
  return sent.slice(since).flatMap(({ body }) => (Array.isArray(body) && Array.isArray(body[0]) ? body.flatMap(first) : first(body)));
}

async function raw(
  server: UpstashServer,
  path: string,
  body: string,
  token = TOKEN,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: unknown }> {
  const res = await realFetch(server.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as unknown };
}

async function runSuite(label: string, server: UpstashServer): Promise<void> {
  const redis = new Redis({ url: server.url, token: TOKEN });
  const p = `upstash-check:${randomUUID()}:`; // fresh keys: the real Redis is shared
  const check = async (name: string, fn: () => Promise<void | { skip: string }>): Promise<void> => {
    try {
      const r = await fn();
      results.push({ backend: label, name, outcome: r ? 'SKIP' : 'PASS', detail: r?.skip });
    } catch (err) {
      results.push({ backend: label, name, outcome: 'FAIL', detail: err instanceof Error ? err.message : String(err) });
    }
  };

  await check('set/get ASCII and non-ASCII strings', async () => {
    assert.equal(await redis.set(`${p}s`, 'hello'), 'OK');
    assert.equal(await redis.get(`${p}s`), 'hello');
    const text = 'héllo wörld ✓ 日本語 🎉 "quoted" \\ back';
    await redis.set(`${p}u`, text);
    assert.equal(await redis.get(`${p}u`), text);
    assert.equal(await redis.get(`${p}missing`), null);
    // A stored value that is literally "OK" (the client passes top-level "OK" through undecoded).
    await redis.set(`${p}ok`, 'OK');
    assert.equal(await redis.get(`${p}ok`), 'OK');
    assert.deepEqual(await redis.mget(`${p}ok`, `${p}u`, `${p}missing`), ['OK', text, null]);
  });

  await check('incr', async () => {
    assert.equal(await redis.incr(`${p}n`), 1);
    assert.equal(await redis.incr(`${p}n`), 2);
    assert.equal(await redis.incrby(`${p}n`, 5), 7);
  });

  await check('expire/ttl and SET EX', async () => {
    await redis.set(`${p}e`, 'v');
    assert.equal(await redis.ttl(`${p}e`), -1);
    assert.equal(await redis.expire(`${p}e`, 100), 1);
    const ttl = await redis.ttl(`${p}e`);
    assert.ok(ttl > 0 && ttl <= 100, `ttl ${ttl}`);
    await redis.set(`${p}ex`, 'v', { ex: 10 });
    const ttl2 = await redis.ttl(`${p}ex`);
    assert.ok(ttl2 > 0 && ttl2 <= 10, `ttl ${ttl2}`);
  });

  await check('pipeline', async () => {
    const out = await redis.pipeline().set(`${p}pl`, 'a').incr(`${p}pc`).incr(`${p}pc`).get(`${p}pl`).exec();
    assert.deepEqual(out, ['OK', 1, 2, 'a']);
    // A failing command inside a pipeline does not stop the others.
    const kept = await redis.pipeline().evalsha(UNKNOWN_SHA, [], []).get(`${p}pl`).exec({ keepErrors: true });
    assert.match(String(kept[0]?.error), /NOSCRIPT/);
    assert.equal(kept[1]?.result, 'a');
    await assert.rejects(redis.pipeline().evalsha(UNKNOWN_SHA, [], []).exec(), /NOSCRIPT/);
  });

  await check('multi-exec transaction', async () => {
    const out = await redis.multi().set(`${p}tx`, '10').incrby(`${p}tx`, 5).get(`${p}tx`).exec();
    assert.deepEqual(out, ['OK', 15, 15]);
  });

  await check('hset/hgetall', async () => {
    assert.equal(await redis.hset(`${p}h`, { name: 'Zoë', count: 3, n10: 'ten' }), 3);
    assert.deepEqual(await redis.hgetall(`${p}h`), { name: 'Zoë', count: 3, n10: 'ten' });
    assert.equal(await redis.hget(`${p}h`, 'name'), 'Zoë');
  });

  await check('JSON object value round trip', async () => {
    const value = { id: 'x1', tags: ['a', 'ü'], nested: { n: 1.5, ok: true, none: null } };
    await redis.set(`${p}json`, value);
    assert.deepEqual(await redis.get(`${p}json`), value);
  });

  await check('Redis error → UpstashError (400)', async () => {
    await assert.rejects(redis.evalsha(UNKNOWN_SHA, [], []), /NOSCRIPT/);
    // ioredis-mock does not type-check keys, so WRONGTYPE only exists on real Redis.
    if (label === 'redis') await assert.rejects(redis.hget(`${p}s`, 'f'), /WRONGTYPE/);
    const r = await raw(server, '/', JSON.stringify(['NOSUCHCOMMAND', 'x']));
    assert.equal(r.status, 400);
    assert.match(String((r.json as { error?: unknown }).error), /^ERR /);
  });

  await check('wrong/missing token → 401', async () => {
    const bad = new Redis({ url: server.url, token: 'wrong-token' });
    await assert.rejects(bad.get(`${p}s`), /Unauthorized/);
    const r = await raw(server, '/', JSON.stringify(['PING']), 'nope');
    assert.deepEqual(r, { status: 401, json: { error: 'Unauthorized' } });
    const none = await realFetch(server.url, { method: 'POST', body: '["PING"]' });
    assert.equal(none.status, 401);
  });

  await check('bad requests: invalid JSON 400, non-array 400, >1 MiB 413', async () => {
    assert.equal((await raw(server, '/', '{nope')).status, 400);
    assert.equal((await raw(server, '/', '{"cmd":"PING"}')).status, 400);
    assert.equal((await raw(server, '/pipeline', '["PING"]')).status, 400);
    const big = await raw(server, '/', JSON.stringify(['SET', `${p}big`, 'x'.repeat(1024 * 1024 + 10)]));
    assert.equal(big.status, 413);
  });

  await check('path form /set/k/v and raw (unencoded) replies', async () => {
    const set = await raw(server, `/set/${encodeURIComponent(`${p}path`)}/${encodeURIComponent('v 1/ü')}`, '');
    assert.deepEqual(set, { status: 200, json: { result: 'OK' } });
    const get = await realFetch(`${server.url}/get/${encodeURIComponent(`${p}path`)}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.deepEqual(await get.json(), { result: 'v 1/ü' });
    const pl = await raw(server, '/pipeline', JSON.stringify([['GET', `${p}path`], ['NOSUCHCOMMAND'], ['EXISTS', `${p}path`]]));
    assert.equal(pl.status, 200);
    const items = pl.json as { result?: unknown; error?: unknown }[];
    assert.deepEqual(items[0], { result: 'v 1/ü' });
    assert.match(String(items[1]?.error), /^ERR unknown command/);
    assert.deepEqual(items[2], { result: 1 });
    // EXECABORT: a transaction with an invalid command runs nothing.
    const tx = await raw(server, '/multi-exec', JSON.stringify([['SET', `${p}abort`, '1'], ['NOSUCHCOMMAND']]));
    assert.equal(tx.status, 400);
    assert.match(String((tx.json as { error?: unknown }).error), /EXECABORT/);
    assert.equal(await redis.exists(`${p}abort`), 0);
  });

  await check('Upstash-Encoding: base64 on the wire', async () => {
    const b64 = { 'upstash-encoding': 'base64' };
    const enc = (t: string): string => Buffer.from(t, 'utf8').toString('base64');
    // Top-level "OK" stays plain (as the client expects); other strings are base64, nested too.
    assert.deepEqual(await raw(server, '/', JSON.stringify(['SET', `${p}w`, 'ü']), TOKEN, b64), { status: 200, json: { result: 'OK' } });
    assert.deepEqual((await raw(server, '/', JSON.stringify(['GET', `${p}w`]), TOKEN, b64)).json, { result: enc('ü') });
    const mget = await raw(server, '/', JSON.stringify(['MGET', `${p}w`, `${p}nope`]), TOKEN, b64);
    assert.deepEqual(mget.json, { result: [enc('ü'), null] });
    const nested = await raw(server, '/pipeline', JSON.stringify([['EVAL', 'return {1, "OK", {"x"}}', 0], ['INCR', `${p}wn`]]), TOKEN, b64);
    assert.deepEqual(nested.json, [{ result: [1, enc('OK'), [enc('x')]] }, { result: 1 }]);
  });

  const shebangScript = '#!lua flags=allow-key-locking\nreturn {redis.call("INCR", KEYS[1]), ARGV[1]}';
  await check('Lua: SCRIPT LOAD returns original sha, EVALSHA works, unknown sha → NOSCRIPT', async () => {
    const sha = await redis.scriptLoad(shebangScript);
    assert.equal(sha, sha1(shebangScript));
    assert.deepEqual(await redis.evalsha(sha, [`${p}lua`], ['ü']), [1, 'ü']);
    assert.deepEqual(await redis.eval(shebangScript, [`${p}lua`], ['x']), [2, 'x']);
    await assert.rejects(redis.evalsha(UNKNOWN_SHA, [], []), /NOSCRIPT/);
    const ro = '#!lua flags=allow-key-locking\nreturn redis.call("GET", KEYS[1])';
    assert.equal(await redis.evalRo(ro, [`${p}lua`], []), 2);
    // Other shebang flags survive on real Redis (no-writes is what lets EVAL_RO run it).
    assert.equal(await redis.evalRo('#!lua flags=no-writes,allow-key-locking\nreturn ARGV[1]', [], ['z']), 'z');
  });

  // Three limiters; each must allow 3 calls and reject the 4th within the window.
  const limiters = {
    slidingWindow: Ratelimit.slidingWindow(3, '10 s'),
    fixedWindow: Ratelimit.fixedWindow(3, '10 s'),
    tokenBucket: Ratelimit.tokenBucket(1, '10 s', 3),
  };
  for (const [name, limiter] of Object.entries(limiters)) {
    // ioredis-mock may not run the token-bucket script; that gap is tolerated for memory only.
    const mayBeUnsupported = label === 'memory' && name === 'tokenBucket';
    await check(`ratelimit ${name}: 4th call in window rejected, EVALSHA reused after first EVAL`, async () => {
      const rl = new Ratelimit({ redis, limiter, prefix: `${p}rl:${name}`, ephemeralCache: false, analytics: false });
      const since = sent.length;
      const outcomes: boolean[] = [];
      try {
        for (let i = 0; i < 4; i++) outcomes.push((await rl.limit('user-1')).success);
      } catch (err) {
        if (mayBeUnsupported) return { skip: `unsupported by ioredis-mock: ${err instanceof Error ? err.message : String(err)}` };
        throw err;
      }
      if (mayBeUnsupported && outcomes.join() !== 'true,true,true,false') {
        return { skip: `unsupported by ioredis-mock: got ${outcomes.join()}` };
      }
      assert.deepEqual(outcomes, [true, true, true, false]);
      // First call: EVALSHA (original hash) → NOSCRIPT → EVAL; afterwards the EVALSHA must hit.
      assert.deepEqual(commandNames(since), ['evalsha', 'eval', 'evalsha', 'evalsha', 'evalsha']);
    });
  }

  await redis.del(...(await redis.keys(`${p}*`)));
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

async function main(): Promise<void> {
  const logs: string[] = [];
  const log = (msg: string): void => {
    logs.push(msg);
    console.log(`  [server] ${msg}`);
  };

  const onRedis = await startUpstashServer({ token: TOKEN, redisUrl: REDIS_URL, port: 0, log });
  try {
    if (onRedis.backend !== 'redis') {
      results.push({ backend: 'redis', name: `connect to ${REDIS_URL}`, outcome: 'FAIL', detail: 'fell back to memory' });
    } else {
      await runSuite('redis', onRedis);
    }
  } finally {
    await onRedis.close();
  }

  const inMemory = await startUpstashServer({ token: TOKEN, port: 0, log });
  try {
    assert.equal(inMemory.backend, 'memory');
    await runSuite('memory', inMemory);
  } finally {
    await inMemory.close();
  }

  // An unreachable Redis must fall back quickly instead of hanging or retrying forever.
  const started = Date.now();
  const fallback = await startUpstashServer({ token: TOKEN, redisUrl: 'redis://127.0.0.1:1', port: 0, log });
  const elapsed = Date.now() - started;
  await fallback.close();
  results.push({
    backend: 'memory',
    name: 'unreachable REDIS_URL falls back to memory within ~500 ms',
    outcome: fallback.backend === 'memory' && elapsed < 1500 ? 'PASS' : 'FAIL',
    detail: `${fallback.backend} after ${elapsed} ms`,
  });

  console.log('');
  for (const r of results) {
    console.log(`${r.outcome.padEnd(4)} [${r.backend}] ${r.name}${r.detail ? ` — ${r.detail}` : ''}`);
  }
  const failed = results.filter((r) => r.outcome === 'FAIL').length;
  const skipped = results.filter((r) => r.outcome === 'SKIP').length;
  console.log(`\n${failed === 0 ? 'PASS' : 'FAIL'}: ${results.length - failed - skipped} passed, ${failed} failed, ${skipped} skipped`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
