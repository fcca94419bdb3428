import { Redis as IORedis } from 'ioredis';
import { type Backend, toError } from './backend.ts';

/** How long the start-up probe waits for Redis before the in-memory backend takes over. */
export const PING_TIMEOUT_MS = 500;
// Reconnect backoff once the first connection succeeded: attempt × 100 ms, at most 2 s.
const RECONNECT_STEP_MS = 100;
const RECONNECT_MAX_MS = 2000;
/** CLIENT SETNAME of the server's Redis connection. */
export const REDIS_CLIENT_NAME = 'contentos-upstash-local';

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

/** A backend over the Redis at `url`, or null (logged) when it does not answer PING in time. */
export async function connectRedis(url: string, log: (msg: string) => void): Promise<Backend | null> {
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
