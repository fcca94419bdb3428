import net from 'node:net';
import { backendReader, queryMessage, type WireMessage } from './pg-wire.ts';

/**
 * Session pooling for the local WebSocket proxy, standing in for the pooler Neon runs behind its
 * WebSocket endpoint.
 *
 * A Worker cannot keep a socket between requests, so every request that touches the database opens a
 * new WebSocket, and without a pooler PostgreSQL forks and initialises a new backend for each one
 * (docs/performance.md). Here a client's startup message is answered from an idle, already
 * authenticated backend with the same startup parameters when there is one; when the client
 * terminates, the backend is reset with `DISCARD ALL` (prepared statements, session settings, temp
 * tables, advisory locks, LISTENs) and kept for the next client.
 *
 * Only backends that let the client in without a credential exchange (trust) are pooled: answering a
 * later client from a cached handshake would otherwise let it skip authentication. A server that asks
 * for a password gets a plain pass-through connection.
 */
export interface SessionPoolOptions {
  /** Idle backends kept per (target, startup parameters). */
  maxIdlePerKey?: number;
  /** An idle backend unused this long is closed, so a quiet proxy holds no connections. */
  idleTimeoutMs?: number;
  /** How long a new backend may take to answer the startup. */
  startupTimeoutMs?: number;
  log?: (msg: string) => void;
}

export interface PooledBackend {
  readonly socket: net.Socket;
  /** What PostgreSQL answered the startup with: AuthenticationOk … ReadyForQuery, to replay to each client. */
  readonly handshake: Buffer;
  /** Whole frontend messages for the backend (as the proxy's frontend reader split them). */
  write(messages: WireMessage[]): void;
  /** Backend messages for the current client. */
  onMessages(listener: ((messages: WireMessage[], raw: Buffer) => void) | undefined): void;
  /** Hand back after the client terminated: reset and keep when idle, else close. */
  release(): void;
  /** Close instead of keeping (client vanished mid-transaction, protocol confusion). */
  destroy(): void;
}

export type Acquired =
  | { kind: 'pooled'; backend: PooledBackend }
  /** The server wants credentials (or failed the startup): carry on unpooled with these backend bytes. */
  | { kind: 'unpooled'; socket: net.Socket; received: Buffer };

interface Backend extends PooledBackend {
  key: string;
  idleTimer?: NodeJS.Timeout;
  /** ReadyForQuery status of the last completed cycle. */
  status: string;
  /** Cycles sent (Sync or Query) and not yet answered by ReadyForQuery. */
  outstanding: number;
}

export interface SessionPool {
  acquire(target: { host: string; port: number }, startup: Buffer): Promise<Acquired>;
  stats(): { idle: number; backends: number; opened: number; reused: number };
  close(): void;
}

/** Startup parameters as a stable key: backends are only shared between identical startups. */
function startupKey(target: string, startup: Buffer): string {
  const params = startup.subarray(8).toString('utf8').split('\0').filter(Boolean);
  const pairs: string[] = [];
  for (let i = 0; i + 1 < params.length; i += 2) pairs.push(`${params[i]}=${params[i + 1]}`);
  return `${target}|${pairs.sort().join('&')}`;
}

export function createSessionPool(options: SessionPoolOptions = {}): SessionPool {
  const maxIdlePerKey = options.maxIdlePerKey ?? 32;
  const idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
  const startupTimeoutMs = options.startupTimeoutMs ?? 10_000;
  const idle = new Map<string, Backend[]>();
  const all = new Set<Backend>();
  let opened = 0;
  let reused = 0;
  let closed = false;

  const removeIdle = (backend: Backend) => {
    const list = idle.get(backend.key);
    const at = list?.indexOf(backend) ?? -1;
    if (list && at >= 0) list.splice(at, 1);
    if (backend.idleTimer) clearTimeout(backend.idleTimer);
  };

  const keepIdle = (backend: Backend) => {
    const list = idle.get(backend.key) ?? [];
    if (closed || list.length >= maxIdlePerKey) return backend.destroy();
    list.push(backend);
    idle.set(backend.key, list);
    backend.idleTimer = setTimeout(() => backend.destroy(), idleTimeoutMs).unref();
  };

  function wrap(
    socket: net.Socket,
    key: string,
    handshake: Buffer,
    readBackend: (chunk: Buffer) => WireMessage[],
  ): Backend {
    let listener: ((messages: WireMessage[], raw: Buffer) => void) | undefined;
    const backend: Backend = {
      socket,
      handshake,
      key,
      status: 'I',
      outstanding: 0,
      write(messages) {
        for (const m of messages) if (m.type === 'S' || m.type === 'Q') backend.outstanding++;
        socket.write(messages.length === 1 ? messages[0]!.bytes : Buffer.concat(messages.map((m) => m.bytes)));
      },
      onMessages(next) {
        listener = next;
      },
      release() {
        listener = undefined;
        if (backend.outstanding !== 0 || backend.status !== 'I' || socket.destroyed) return backend.destroy();
        // Reset before anyone else can have it; only a clean `DISCARD ALL` puts it back.
        let ok = false;
        listener = (messages) => {
          for (const m of messages) {
            if (m.type === 'E') ok = false;
            else if (m.type === 'C') ok = true;
            else if (m.type === 'Z') {
              listener = undefined;
              if (ok && m.status === 'I') keepIdle(backend);
              else backend.destroy();
            }
          }
        };
        backend.write([{ type: 'Q', bytes: queryMessage('DISCARD ALL') }]);
      },
      destroy() {
        listener = undefined;
        removeIdle(backend);
        all.delete(backend);
        if (!socket.destroyed) socket.destroy();
      },
    };
    socket.on('data', (chunk) => {
      const messages = readBackend(chunk);
      for (const m of messages) {
        if (m.type === 'Z') {
          backend.outstanding = Math.max(0, backend.outstanding - 1);
          backend.status = m.status ?? 'I';
        }
      }
      if (listener) listener(messages, chunk);
      else if (messages.some((m) => m.type !== 'S' && m.type !== 'N')) {
        // Idle backends only ever report parameter changes or notices; anything else means we lost
        // track of the session, and a confused backend must not be handed out.
        if (!idle.get(backend.key)?.includes(backend)) return;
        options.log?.('session pool: unexpected message from an idle backend; closing it');
        backend.destroy();
      }
    });
    socket.on('close', () => backend.destroy());
    socket.on('error', () => backend.destroy());
    all.add(backend);
    return backend;
  }

  /** A new backend: connect, send the client's startup, collect the answer up to ReadyForQuery. */
  function open(target: { host: string; port: number }, key: string, startup: Buffer): Promise<Acquired> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: target.host, port: target.port });
      socket.setNoDelay(true);
      const readBackend = backendReader();
      const received: Buffer[] = [];
      const fail = (err: Error) => {
        socket.destroy();
        reject(err);
      };
      // A server that accepts and never answers must not hold the client (or this socket) forever.
      socket.setTimeout(startupTimeoutMs, () =>
        fail(new Error(`no answer to the startup within ${startupTimeoutMs} ms`)),
      );
      const settled = () => {
        socket.setTimeout(0);
        socket.off('data', onData);
        socket.off('error', fail);
      };
      const onData = (chunk: Buffer) => {
        received.push(chunk);
        for (const m of readBackend(chunk)) {
          if ((m.type === 'R' && m.auth !== 0) || m.type === 'E') {
            // Credentials wanted, or the startup failed (no such database): the client deals with it
            // over a plain connection; none of this is pooled.
            settled();
            return resolve({ kind: 'unpooled', socket, received: Buffer.concat(received) });
          }
          if (m.type === 'Z') {
            settled();
            opened++;
            return resolve({ kind: 'pooled', backend: wrap(socket, key, Buffer.concat(received), readBackend) });
          }
        }
      };
      socket.on('data', onData);
      socket.on('error', fail);
      socket.on('connect', () => socket.write(startup));
    });
  }

  return {
    async acquire(target, startup) {
      const key = startupKey(`${target.host}:${target.port}`, startup);
      const list = idle.get(key);
      while (list?.length) {
        const backend = list.pop()!;
        removeIdle(backend);
        if (backend.socket.destroyed) continue;
        reused++;
        return { kind: 'pooled', backend };
      }
      return open(target, key, startup);
    },
    stats: () => ({
      idle: [...idle.values()].reduce((n, list) => n + list.length, 0),
      backends: all.size,
      opened,
      reused,
    }),
    close() {
      closed = true;
      for (const backend of [...all]) backend.destroy();
    },
  };
}
