import { createRequire } from 'node:module';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { WebSocketServer as WsServer, WebSocket as Ws, RawData } from 'ws';

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
  log?: (msg: string) => void;
}

export interface WsProxy {
  /** Value for NEON_WS_PROXY: host:port/path without scheme. */
  neonWsProxy: string;
  port: number;
  allow(target: string): void;
  close(): Promise<void>;
  stats(): { open: number; total: number };
}

const TERMINATE = 0x58; // 'X'
const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * Watches the client's Postgres messages for Terminate. pglite-socket ignores Terminate and workerd's
 * WebSocket close does not always reach us, so without this both sides would stay open and leak.
 */
function terminateWatcher(): (chunk: Buffer) => boolean {
  let buffered: Buffer = Buffer.alloc(0);
  let untyped = true; // startup-phase messages have no type byte
  return (chunk) => {
    buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
    for (;;) {
      if (untyped) {
        if (buffered.length < 8) return false;
        const length = buffered.readInt32BE(0);
        if (buffered.length < length) return false;
        const code = buffered.readInt32BE(4);
        untyped = code === SSL_REQUEST || code === GSSENC_REQUEST;
        buffered = buffered.subarray(length);
        continue;
      }
      if (buffered.length < 5) return false;
      const type = buffered[0];
      const length = buffered.readInt32BE(1);
      if (type === TERMINATE) return true;
      if (buffered.length < length + 1) return false;
      buffered = buffered.subarray(length + 1);
    }
  };
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
  let total = 0;
  const wss: WsServer = new WebSocketServer({ host, port: options.port ?? 0, perMessageDeflate: false });

  wss.on('connection', (ws, req) => {
    const address = new URL(req.url ?? '/', 'ws://proxy').searchParams.get('address') ?? '';
    if (!allowed.has(address)) {
      options.log?.(`refused connection to ${address || '(none)'}`);
      ws.close(1008, 'target not allowed');
      return;
    }
    const [targetHost, targetPort] = [address.slice(0, address.lastIndexOf(':')), Number(address.slice(address.lastIndexOf(':') + 1))];
    const tcp = net.connect({ host: targetHost, port: targetPort });
    tcp.setNoDelay(true);
    const pair = { ws, tcp };
    sockets.add(pair);
    total++;
    const sawTerminate = terminateWatcher();
    const pending: Buffer[] = [];
    let connected = false;

    const closeBoth = () => {
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
    });
    tcp.on('error', (err) => {
      options.log?.(`tcp ${address}: ${err.message}`);
      closeBoth();
    });
    tcp.on('close', closeBoth);

    ws.on('message', (data) => {
      const chunk = toBuffer(data);
      if (connected) tcp.write(chunk);
      else pending.push(chunk);
      if (sawTerminate(chunk)) {
        // Let the Terminate reach the server, then close both sides ourselves.
        if (connected) tcp.end();
        setTimeout(closeBoth, 50).unref();
      }
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
    stats: () => ({ open: sockets.size, total }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const { ws, tcp } of sockets) {
          tcp.destroy();
          ws.terminate();
        }
        sockets.clear();
        wss.close(() => resolve());
      }),
  };
}
