import { createRequire } from 'node:module';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer as WsServer, WebSocket as Ws, RawData } from 'ws';
import { createSessionPool, type PooledBackend, type SessionPool } from './pg-session-pool.ts';
import { backendReader, frontendReader, Gate } from './pg-wire.ts';

// `import { WebSocketServer } from 'ws'` breaks under the vitest workers plugin's globalSetup (toolchain.md).
const { WebSocketServer } = createRequire(import.meta.url)('ws') as typeof import('ws');

/**
 * A WebSocket-to-TCP proxy speaking the protocol the Neon serverless driver expects from
 * `neonConfig.wsProxy`: `ws://host:port/v2?address=<pg-host>:<pg-port>`, raw Postgres wire bytes in
 * binary frames both ways. Local development and tests only; it binds to loopback and forwards only to
 * the targets it was given.
 */
export interface WsProxyOptions {
  port?: number;
  host?: string;
  /** `host:port` pairs the proxy may connect to; anything else is refused. */
  allowedTargets: string[];
  /**
   * For a backend that serves every connection from one session (pglite-socket): let one connection
   * at a time hold it, from its first message until ReadyForQuery reports idle, so statements and
   * transactions of different connections never interleave.
   */
  serializeSessions?: boolean;
  /**
   * For a real PostgreSQL: keep authenticated backends between client connections, as Neon's pooler
   * does (pg-session-pool.ts). Not with serializeSessions.
   */
  poolSessions?: boolean;
  log?: (msg: string) => void;
}

export interface WsProxy {
  /** Value for NEON_WS_PROXY: host:port/path without scheme. */
  neonWsProxy: string;
  port: number;
  allow(target: string): void;
  close(): Promise<void>;
  /** `frames`: messages received from clients so far, so a test can order clients by what the proxy has seen. */
  stats(): { open: number; total: number; frames: number; pool?: ReturnType<SessionPool['stats']> };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

export async function startWsProxy(options: WsProxyOptions): Promise<WsProxy> {
  const host = options.host ?? '127.0.0.1';
  const allowed = new Set(options.allowedTargets);
  const sockets = new Set<{ ws: Ws; tcp: net.Socket }>();
  const sessionGates = new Map<string, Gate>(
    options.serializeSessions ? options.allowedTargets.map((t) => [t, new Gate()]) : [],
  );
  let total = 0;
  let frames = 0;
  const pool =
    options.poolSessions && !options.serializeSessions
      ? createSessionPool(options.log ? { log: options.log } : {})
      : undefined;
  const wss: WsServer = new WebSocketServer({ host, port: options.port ?? 0, perMessageDeflate: false });

  /**
   * A client through the session pool: its startup message is answered from a pooled backend, its
   * Terminate hands the backend back instead of ending it. Anything unusual (SSL or cancel request
   * first, a server that asks for a password) is piped through unpooled.
   */
  function pipePooled(ws: Ws, address: string, target: { host: string; port: number }, sessions: SessionPool) {
    const readFrontend = frontendReader();
    const early: Buffer[] = [];
    let backend: PooledBackend | undefined;
    let raw: net.Socket | undefined;
    let finished = false;
    const entry = { ws, tcp: undefined as unknown as net.Socket };
    total++;

    const finish = (keepBackend: boolean) => {
      if (finished) return;
      finished = true;
      sockets.delete(entry);
      if (backend) {
        backend.socket.off('close', onBackendClose);
        if (keepBackend) backend.release();
        else backend.destroy();
      }
      if (raw && !raw.destroyed) raw.end();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    const toClient = (bytes: Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true });
    };
    const pipeRaw = (socket: net.Socket, first: Buffer[]) => {
      raw = socket;
      entry.tcp = socket;
      sockets.add(entry);
      socket.on('data', toClient);
      socket.on('close', () => finish(false));
      socket.on('error', () => finish(false));
      for (const chunk of first) socket.write(chunk);
    };

    const onBackendClose = () => finish(false);
    let starting = false;
    ws.on('message', (data) => {
      frames++;
      const chunk = toBuffer(data);
      if (raw) return void raw.write(chunk);
      if (backend) {
        const messages = readFrontend(chunk);
        const forward = messages.filter((m) => m.type !== 'X');
        if (forward.length) backend.write(forward);
        if (forward.length < messages.length) finish(true);
        return;
      }
      early.push(chunk);
      if (starting) return;
      const [first, ...rest] = readFrontend(chunk);
      if (!first) return;
      starting = true;
      if (!first.startup || rest.length) {
        // SSL/GSS/cancel request, or a client that did not wait for the handshake: no pooling.
        const socket = net.connect(target);
        socket.setNoDelay(true);
        return pipeRaw(socket, early.splice(0));
      }
      sessions.acquire(target, first.bytes).then(
        (acquired) => {
          if (finished) {
            if (acquired.kind === 'pooled') acquired.backend.release();
            else acquired.socket.destroy();
            return;
          }
          if (acquired.kind === 'unpooled') {
            toClient(acquired.received);
            return pipeRaw(acquired.socket, []);
          }
          backend = acquired.backend;
          entry.tcp = backend.socket;
          sockets.add(entry);
          backend.onMessages((_messages, bytes) => toClient(bytes));
          backend.socket.once('close', onBackendClose);
          toClient(backend.handshake);
        },
        (err: Error) => {
          options.log?.(`tcp ${address}: ${err.message}`);
          finish(false);
        },
      );
    });
    // A client that goes away without Terminate may be mid-cycle: release() resets the backend only
    // when it is idle and closes it otherwise.
    ws.on('close', () => finish(true));
    ws.on('error', () => finish(false));
  }

  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '/', 'ws://proxy').searchParams.get('address') ?? '';
    if (!allowed.has(address)) {
      options.log?.(`refused connection to ${address || '(none)'}`);
      ws.close(1008, 'target not allowed');
      return;
    }
    const target = {
      host: address.slice(0, address.lastIndexOf(':')),
      port: Number(address.slice(address.lastIndexOf(':') + 1)),
    };
    if (pool) return pipePooled(ws, address, target, pool);
    const gate = sessionGates.get(address);
    const tcp = net.connect(target);
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    sockets.add(pair);
    total++;
    const readFrontend = frontendReader();
    const readBackend = backendReader();
    const pending: Buffer[] = [];
    let connected = false;
    let closed = false;
    // Session gate state (serializeSessions): cycles sent but not yet answered by ReadyForQuery, and
    // whether a cycle has begun (Parse, Bind, …) without its closing Sync yet.
    let outstanding = 0;
    let unsynced = false;
    let idle = true;
    let release: (() => void) | undefined;
    let acquiring = false;
    const queued: Buffer[] = [];

    const toServer = (chunk: Buffer) => (connected ? tcp.write(chunk) : pending.push(chunk));
    const releaseGate = () => {
      const done = release;
      release = undefined;
      done?.();
    };
    const maybeReleaseGate = () => {
      if (release && outstanding === 0 && !unsynced && idle && queued.length === 0) releaseGate();
    };

    const closeBoth = () => {
      closed = true;
      releaseGate();
      sockets.delete(pair);
      if (!tcp.destroyed) tcp.end();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };

    tcp.on('connect', () => {
      connected = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    tcp.on('data', (data) => {
      if (ws.readyState === ws.OPEN) ws.send(data, { binary: true });
      if (!gate) return;
      for (const message of readBackend(data)) {
        if (message.type !== 'Z') continue;
        outstanding = Math.max(0, outstanding - 1);
        idle = message.status === 'I';
      }
      maybeReleaseGate();
    });
    tcp.on('error', (err) => {
      options.log?.(`tcp ${address}: ${err.message}`);
      closeBoth();
    });
    tcp.on('close', closeBoth);

    ws.on('message', (data) => {
      frames++;
      const chunk = toBuffer(data);
      const messages = readFrontend(chunk);
      for (const m of messages) {
        if (m.type === 'S' || m.type === 'Q' || m.startup) {
          outstanding++;
          unsynced = false;
        } else if (m.type !== 'X' && m.type !== null) {
          unsynced = true;
        }
      }
      if (!gate || release) {
        toServer(chunk);
      } else {
        queued.push(chunk);
        if (!acquiring) {
          acquiring = true;
          void gate.acquire().then((done) => {
            acquiring = false;
            release = done;
            if (closed) return releaseGate();
            for (const queuedChunk of queued.splice(0)) toServer(queuedChunk);
            maybeReleaseGate();
          });
        }
      }
      // pglite-socket ignores Terminate and workerd's WebSocket close does not always reach us: after
      // letting the Terminate through, close both sides ourselves, or connections leak.
      if (messages.some((m) => m.type === 'X')) setTimeout(closeBoth, 50).unref();
    });
    ws.on('close', closeBoth);
    ws.on('error', closeBoth);
  });

  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  const port = (wss.address() as AddressInfo).port;
  options.log?.(`ws proxy on ws://${host}:${port}/v2 -> ${[...allowed].join(', ')}`);
  return {
    neonWsProxy: `${host}:${port}/v2`,
    port,
    allow: (target) => allowed.add(target),
    stats: () => ({ open: sockets.size, total, frames, ...(pool ? { pool: pool.stats() } : {}) }),
    close: () =>
      new Promise<void>((resolve) => {
        pool?.close();
        for (const { ws, tcp } of sockets) {
          tcp.destroy();
          ws.terminate();
        }
        sockets.clear();
        wss.close(() => resolve());
      }),
  };
}
