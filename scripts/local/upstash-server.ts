/**
 * Local stand-in for Upstash Redis's REST API, so `@upstash/redis` and
 * `@upstash/ratelimit` can run against a plain Redis (or an in-memory mock)
 * in development and tests.
 *
 * Wire format mirrored from @upstash/redis 1.39.0 (pkg/http.ts):
 *  - every request is `POST <url>[/pipeline|/multi-exec]` with a JSON body,
 *    `Authorization: Bearer <token>` and, by default, `Upstash-Encoding: base64`;
 *  - single command → `{"result": x}`; batches → `[{"result": x} | {"error": "..."}, ...]`;
 *  - a non-2xx status makes the client throw `UpstashError("<error>, command was: ...")`,
 *    so failures must carry a JSON body with an `error` string;
 *  - with base64 encoding the client base64-decodes every string in `result`
 *    (recursively into arrays) except a top-level `"OK"`, which it passes through.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis as IORedis } from 'ioredis';
import RedisMock from 'ioredis-mock';

export interface UpstashServerOptions {
  port?: number; // 0 = random
  host?: string; // default 127.0.0.1
  token: string;
  redisUrl?: string; // e.g. redis://127.0.0.1:6379
  log?: (msg: string) => void;
}

export interface UpstashServer {
  url: string; // http://127.0.0.1:PORT
  backend: 'redis' | 'memory';
  close(): Promise<void>;
}

type Json = string | number | null | Json[];
type BatchReply = [Error | null, unknown];

interface Backend {
  kind: 'redis' | 'memory';
  call(cmd: string[]): Promise<unknown>;
  batch(cmds: string[][], atomic: boolean): Promise<BatchReply[]>;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const PING_TIMEOUT_MS = 500;
// Reconnect backoff once the first connection succeeded: attempt × 100 ms, at most 2 s.
const RECONNECT_STEP_MS = 100;
const RECONNECT_MAX_MS = 2000;
/** CLIENT SETNAME of the server's Redis connection. */
export const REDIS_CLIENT_NAME = 'contentos-upstash-local';

// Commands that would change the state of the single shared connection
// (or hijack it); Upstash's REST API does not offer them either.
const BLOCKED = new Set([
  'auth',
  'hello',
  'select',
  'reset',
  'quit',
  'monitor',
  'sync',
  'psync',
  'subscribe',
  'psubscribe',
  'ssubscribe',
  'unsubscribe',
  'punsubscribe',
  'sunsubscribe',
]);

// Only real Redis command names may be dispatched to ioredis-mock by method
// name; otherwise a body like ["disconnect"] would call client internals.
const KNOWN_COMMANDS = new Set(IORedis.prototype.getBuiltinCommands());

function checkCommand(cmd: string[]): void {
  const name = (cmd[0] ?? '').toLowerCase();
  if (BLOCKED.has(name)) throw new Error(`ERR Command is not available: '${cmd[0]}'`);
}

// ---------------------------------------------------------------- backends

/** For log lines: a REDIS_URL may carry a password. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '<invalid url>';
  }
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function connectRedis(url: string, log: (msg: string) => void): Promise<Backend | null> {
  // False until the first PING answers (and again once close() starts): while false,
  // retryStrategy gives up at once, so a missing Redis fails the probe fast and leaves
  // no reconnect timer behind. Once connected, a dropped connection (e.g. redis-server
  // restarted under `npm run dev`) is retried forever with a bounded backoff.
  let connected = false;
  let probeError: Error | undefined;
  let lost = false;
  let lastError: string | undefined;
  const client = new IORedis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false, // while reconnecting, requests fail at once instead of queueing
    connectTimeout: PING_TIMEOUT_MS,
    connectionName: REDIS_CLIENT_NAME, // re-sent on every reconnect; identifies us in CLIENT LIST
    retryStrategy: (attempt) => (connected ? Math.min(attempt * RECONNECT_STEP_MS, RECONNECT_MAX_MS) : null),
  });
  // Without a listener ioredis prints "Unhandled error event" for every failure.
  client.on('error', (err: Error) => {
    if (!connected) probeError = err;
    else if (err.message !== lastError) {
      // Each failed reconnect attempt emits an error; log a repeated cause only once.
      lastError = err.message;
      log(`redis error: ${err.message}`);
    }
  });
  client.on('close', () => {
    if (!connected || lost) return;
    lost = true;
    log(`redis connection to ${redact(url)} lost; reconnecting`);
  });
  client.on('ready', () => {
    if (!lost) return;
    lost = false;
    lastError = undefined;
    log(`redis connection to ${redact(url)} restored`);
  });
  try {
    await withTimeout(
      client.connect().then(() => client.ping()),
      PING_TIMEOUT_MS,
    );
    connected = true;
  } catch (err) {
    // The 'error' event carries the real cause (ECONNREFUSED...); the rejection just says "Connection is closed".
    log(`redis at ${redact(url)} unavailable (${(probeError ?? toError(err)).message}); using in-memory backend`);
    // After a refused/dropped connection the client has already ended; disconnect() would
    // only arm ioredis's 2 s "destroy the stream" timer on a dead socket.
    if (client.status !== 'end') client.disconnect();
    return null;
  }
  // Upper-case names: ioredis keys its reply transformers by the exact command
  // name, and the lower-case `hgetall` one turns the flat array into an object
  // (re-ordering numeric fields). Upstash returns the flat array.
  const wrap = (cmd: string[]): [string, ...string[]] => ['call', (cmd[0] ?? '').toUpperCase(), ...cmd.slice(1)];
  return {
    kind: 'redis',
    call: (cmd) => client.call((cmd[0] ?? '').toUpperCase(), ...cmd.slice(1)),
    async batch(cmds, atomic) {
      const chain = atomic ? client.multi(cmds.map(wrap)) : client.pipeline(cmds.map(wrap));
      const replies = await chain.exec();
      // exec() yields null only when a WATCHed key changed; report it as Redis would.
      if (replies === null) throw new Error('EXECABORT Transaction aborted');
      return replies;
    },
    async close() {
      connected = false;
      await client.quit().catch(() => client.disconnect());
    },
  };
}

let memoryInstances = 0;

// ioredis-mock has no *_ro variants; the read-only check is simply not enforced in memory.
const MOCK_ALIASES: Record<string, string> = { eval_ro: 'eval', evalsha_ro: 'evalsha' };
const ZADD_FLAGS = new Set(['nx', 'xx', 'gt', 'lt', 'ch', 'incr']);

/** ioredis-mock only recognises upper-case SET/ZADD options; @upstash/redis sends lower-case. */
function mockArgs(name: string, args: string[]): string[] {
  const upper = (a: string): string => (/^[a-z]+$/i.test(a) ? a.toUpperCase() : a);
  if (name === 'set') return [...args.slice(0, 2), ...args.slice(2).map(upper)];
  if (name === 'zadd') {
    const out = [...args];
    for (let i = 1; i < out.length && ZADD_FLAGS.has((out[i] ?? '').toLowerCase()); i++) out[i] = upper(out[i] ?? '');
    return out;
  }
  return args;
}

function memoryBackend(): Backend {
  // ioredis-mock shares one keyspace per host:port/db across instances in a
  // process; a unique fake host gives each server its own empty database.
  const client = new RedisMock({ host: `upstash-memory-${++memoryInstances}` });
  const methods = client as unknown as Record<string, unknown>;
  const resolve = (cmd: string[]): string => {
    const lower = (cmd[0] ?? '').toLowerCase();
    const name = MOCK_ALIASES[lower] ?? lower;
    if (!KNOWN_COMMANDS.has(name) || typeof methods[name] !== 'function') {
      throw new Error(`ERR unknown command '${cmd[0] ?? ''}' (not supported by the in-memory backend)`);
    }
    return name;
  };
  const call = async (cmd: string[]): Promise<unknown> => {
    const name = resolve(cmd);
    const method = methods[name] as (...args: string[]) => Promise<unknown>;
    return method.apply(client, mockArgs(name, cmd.slice(1)));
  };
  return {
    kind: 'memory',
    call,
    async batch(cmds, atomic) {
      if (!atomic) {
        const out: BatchReply[] = [];
        for (const cmd of cmds) {
          try {
            out.push([null, await call(cmd)]);
          } catch (err) {
            out.push([toError(err), null]);
          }
        }
        return out;
      }
      // Like Redis, refuse the whole transaction if any command is unknown.
      const names = cmds.map((cmd) => {
        try {
          return resolve(cmd);
        } catch (err) {
          throw new Error(`EXECABORT Transaction discarded because of previous errors: ${toError(err).message}`);
        }
      });
      const replies = await client
        .multi(cmds.map((cmd, i) => [names[i] ?? '', ...mockArgs(names[i] ?? '', cmd.slice(1))]))
        .exec();
      return replies ?? [];
    },
    async close() {
      await client.flushall(); // the mock's keyspace lives in a module-level map; free it
      client.disconnect();
    },
  };
}

// ------------------------------------------------------------- Lua scripts

const SHEBANG = /^#!lua([^\n]*)/;
const UPSTASH_ONLY_FLAG = 'allow-key-locking';

/**
 * @upstash/ratelimit scripts start with `#!lua flags=allow-key-locking`, an
 * Upstash-only flag that Redis 7.0 rejects. Remove the flag; if no other flag
 * remains, drop the shebang line entirely: a bare `#!lua` script counts as
 * "may write" in Redis 7 (so EVAL_RO refuses it), whereas a shebang-less script
 * is checked per call, and ioredis-mock's Lua cannot parse `#!` at all. The
 * newline is kept so line numbers in Lua error messages still match.
 */
function rewriteScript(script: string, keepOtherFlags: boolean): string {
  const match = SHEBANG.exec(script);
  if (!match) return script;
  const flagsToken = (match[1] ?? '')
    .trim()
    .split(/\s+/)
    .find((t) => t.startsWith('flags='));
  const flags = flagsToken ? flagsToken.slice('flags='.length).split(',').filter(Boolean) : [];
  const rest = flags.filter((f) => f !== UPSTASH_ONLY_FLAG);
  const body = script.slice(match[0].length);
  if (!keepOtherFlags || rest.length === 0) return body;
  return rest.length === flags.length ? script : `#!lua flags=${rest.join(',')}${body}`;
}

type Prepared = { send: string[]; mapReply?: (reply: unknown) => unknown } | { local: unknown };

/**
 * Rewrites script commands before they reach the backend. Clients address
 * scripts by the SHA1 of the ORIGINAL text (ratelimit hard-codes those
 * hashes, tries EVALSHA first and falls back to EVAL on NOSCRIPT), but the
 * backend only ever sees the rewritten text, so remember original sha → script.
 */
function createScriptTable(backend: Backend['kind']) {
  const byOriginalSha = new Map<string, string>();
  const remember = (script: string): string => {
    const rewritten = rewriteScript(script, backend === 'redis');
    byOriginalSha.set(sha1(script), rewritten);
    return rewritten;
  };

  return function prepare(cmd: string[]): Prepared {
    const name = (cmd[0] ?? '').toLowerCase();
    const [, first = '', ...rest] = cmd;
    switch (name) {
      case 'eval':
      case 'eval_ro':
        return cmd.length < 3 ? { send: cmd } : { send: [name, remember(first), ...rest] };
      case 'evalsha':
      case 'evalsha_ro': {
        const script = byOriginalSha.get(first.toLowerCase());
        // Unknown sha: let the backend answer (normally NOSCRIPT, which makes the client EVAL).
        if (script === undefined) return { send: cmd };
        return { send: [name === 'evalsha' ? 'eval' : 'eval_ro', script, ...rest] };
      }
      case 'script': {
        const sub = first.toLowerCase();
        if (sub === 'load' && rest.length === 1) {
          const original = rest[0] ?? '';
          const rewritten = remember(original);
          const sha = sha1(original);
          // Real Redis compiles (and so validates) the script; the mock has no SCRIPT command.
          return backend === 'redis' ? { send: ['script', 'load', rewritten], mapReply: () => sha } : { local: sha };
        }
        if (sub === 'exists') {
          if (backend === 'memory') return { local: rest.map((sha) => (byOriginalSha.has(sha.toLowerCase()) ? 1 : 0)) };
          return {
            send: cmd,
            mapReply: (reply) =>
              Array.isArray(reply)
                ? reply.map((v, i) => (byOriginalSha.has((rest[i] ?? '').toLowerCase()) ? 1 : v))
                : reply,
          };
        }
        if (sub === 'flush') {
          byOriginalSha.clear();
          if (backend === 'memory') return { local: 'OK' };
        }
        return { send: cmd };
      }
      default:
        return { send: cmd };
    }
  };
}

// ---------------------------------------------------------- reply encoding

function toError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}

/** ioredis reply → the JSON Upstash would send. */
function toJson(value: unknown): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : null; // Redis maps Lua true → 1, false → nil
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (value instanceof Error) return value.message; // error nested inside an array reply
  if (Array.isArray(value)) return value.map(toJson);
  if (value instanceof Map) return [...value].flatMap(([k, v]) => [toJson(k), toJson(v)]);
  // ioredis-mock answers HGETALL & co. with objects; Upstash sends flat [field, value, ...].
  if (typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [k, toJson(v)]);
  return String(value);
}

function base64(value: Json): Json {
  if (typeof value === 'string') return Buffer.from(value, 'utf8').toString('base64');
  if (Array.isArray(value)) return value.map(base64);
  return value;
}

/** The client keeps a top-level "OK" as is and base64-decodes every other string. */
function encodeResult(value: unknown, b64: boolean): Json {
  const json = toJson(value);
  return b64 && json !== 'OK' ? base64(json) : json;
}

// -------------------------------------------------------------------- HTTP

class HttpError extends Error {
  status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HttpError(413, 'ERR request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'ERR request body too large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'ERR failed to parse request body: invalid JSON');
  }
}

/** One command: a non-empty array of strings/numbers/booleans (the client's serializer output). */
function toCommand(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new HttpError(400, 'ERR command must be a non-empty JSON array');
  }
  return value.map((arg: unknown) => {
    if (typeof arg === 'string') return arg;
    if (typeof arg === 'number' || typeof arg === 'boolean') return String(arg);
    throw new HttpError(400, 'ERR command arguments must be strings, numbers or booleans');
  });
}

function isAuthorized(req: IncomingMessage, url: URL, token: string): boolean {
  return req.headers.authorization === `Bearer ${token}` || url.searchParams.get('_token') === token;
}

function createHandler(backend: Backend, token: string) {
  const prepare = createScriptTable(backend.kind);

  const runOne = async (cmd: string[]): Promise<unknown> => {
    checkCommand(cmd);
    const p = prepare(cmd);
    if ('local' in p) return p.local;
    const reply = await backend.call(p.send);
    return p.mapReply ? p.mapReply(reply) : reply;
  };

  const runBatch = async (cmds: string[][], atomic: boolean): Promise<BatchReply[]> => {
    const steps = cmds.map((cmd): Prepared | { fail: Error } => {
      try {
        checkCommand(cmd);
        return prepare(cmd);
      } catch (err) {
        if (atomic)
          throw new Error(`EXECABORT Transaction discarded because of previous errors: ${toError(err).message}`);
        return { fail: toError(err) };
      }
    });
    // Steps answered here (SCRIPT LOAD on the mock, refused commands) are spliced back in order.
    const sent = steps.flatMap((s) => ('send' in s ? [s.send] : []));
    const replies = sent.length > 0 ? await backend.batch(sent, atomic) : [];
    let next = 0;
    return steps.map((s): BatchReply => {
      if ('fail' in s) return [s.fail, null];
      if ('local' in s) return [null, s.local];
      const [err, reply] = replies[next++] ?? [new Error('ERR missing reply'), null];
      return err ? [err, null] : [null, s.mapReply ? s.mapReply(reply) : reply];
    });
  };

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!isAuthorized(req, url, token)) return sendJson(res, 401, { error: 'Unauthorized' });
    const b64 = String(req.headers['upstash-encoding'] ?? '').toLowerCase() === 'base64';
    const path = url.pathname.replace(/\/+$/, '');
    try {
      const body = await readBody(req);
      if (path === '/pipeline' || path === '/multi-exec') {
        if (req.method !== 'POST') throw new HttpError(405, 'ERR method not allowed');
        const list = parseJson(body);
        if (!Array.isArray(list) || list.length === 0)
          throw new HttpError(400, 'ERR body must be a non-empty array of commands');
        const cmds = list.map(toCommand);
        let replies: BatchReply[];
        try {
          replies = await runBatch(cmds, path === '/multi-exec');
        } catch (err) {
          throw new HttpError(400, toError(err).message); // e.g. EXECABORT: nothing ran
        }
        return sendJson(
          res,
          200,
          replies.map(([err, reply]) => (err ? { error: err.message } : { result: encodeResult(reply, b64) })),
        );
      }
      let cmd: string[];
      if (path === '') {
        if (req.method !== 'POST') throw new HttpError(405, 'ERR method not allowed');
        cmd = toCommand(parseJson(body));
      } else {
        // REST path form: /set/k/v; a POST body becomes the last argument (as on Upstash).
        cmd = path
          .slice(1)
          .split('/')
          .map((part) => decodeURIComponent(part));
        if (req.method === 'POST' && body.length > 0) cmd.push(body.toString('utf8'));
      }
      let reply: unknown;
      try {
        reply = await runOne(cmd);
      } catch (err) {
        throw new HttpError(400, toError(err).message);
      }
      return sendJson(res, 200, { result: encodeResult(reply, b64) });
    } catch (err) {
      if (err instanceof HttpError) {
        // Unread request data would otherwise be parsed as the next keep-alive request.
        return sendJson(res, err.status, { error: err.message }, err.status === 413 ? { connection: 'close' } : {});
      }
      if (err instanceof URIError) return sendJson(res, 400, { error: 'ERR malformed URL encoding' });
      throw err;
    }
  };
}

// ------------------------------------------------------------------- start

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startUpstashServer(opts: UpstashServerOptions): Promise<UpstashServer> {
  const log = opts.log ?? (() => {});
  const host = opts.host ?? '127.0.0.1';
  const backend = (opts.redisUrl ? await connectRedis(opts.redisUrl, log) : null) ?? memoryBackend();
  const handle = createHandler(backend, opts.token);

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      log(`upstash-server: internal error: ${toError(err).stack ?? String(err)}`);
      if (!res.headersSent) sendJson(res, 500, { error: `ERR internal error: ${toError(err).message}` });
      else res.destroy();
    });
  });
  try {
    await listen(server, opts.port ?? 0, host);
  } catch (err) {
    await backend.close();
    throw err;
  }

  const { port } = server.address() as AddressInfo;
  // A wildcard bind address is not something a client can connect to.
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${port}`;
  log(
    `upstash-server listening on ${url} (backend: ${backend.kind}${backend.kind === 'redis' ? ` ${redact(opts.redisUrl ?? '')}` : ''})`,
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    backend: backend.kind,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // @upstash/redis uses keep-alive; idle sockets would hold close() open.
        server.closeAllConnections();
      }).then(() => backend.close());
      return closing;
    },
  };
}
