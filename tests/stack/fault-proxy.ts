import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { frontendReader, type WireMessage } from '../../scripts/local/pg-wire.ts';

/**
 * PostgreSQL that goes away mid-flight, for the fault tests (tests/worker/faults, docs/decisions/0037).
 *
 * A TCP proxy in front of the test database. The Worker reaches it with its ordinary DATABASE_URL, only
 * with this port and `application_name=fault-<id>`, through the same WebSocket proxy as every other
 * connection (which lets it through as an extra target). Connections without a fault id pass untouched.
 *
 * A test programs a fault id over HTTP (`PUT /faults/<id>` on the control port) with a plan:
 *   { "after": n }                      the first n statements go through; the next one never arrives
 *   { "match": "text", "occurrence": k } the k-th statement (default 1st) containing `text` never arrives
 *   {}                                  nothing fails; statements are only recorded
 * When the plan fires, every connection of that id is cut (no goodbye: what a network or server loss
 * looks like to the client), and from then on every new connection of that id is refused with FATAL
 * 57P03 (cannot_connect_now), as a server that is down or restarting answers. The database stays down
 * for that id only: the rest of the suite is unaffected. `GET /faults/<id>` reports what was seen.
 *
 * A statement is a simple Query or an extended-protocol Parse, as the Neon driver sends them; the
 * `DISCARD ALL` the WebSocket proxy's session pool resets a backend with is not one of the client's.
 */
export interface FaultPlan {
  after?: number;
  match?: string;
  occurrence?: number;
}

export interface FaultState {
  plan: FaultPlan;
  /** Statements that went through to the database, in order. */
  statements: string[];
  /** Whether the plan fired, and the statement it stopped. */
  tripped: boolean;
  stopped: string | null;
  /** Connections opened for this id, and refused after it tripped. */
  connections: number;
  refused: number;
}

export interface FaultProxy {
  port: number;
  controlPort: number;
  close(): Promise<void>;
}

const APPLICATION_NAME = 'application_name';
const FAULT_PREFIX = 'fault-';
const POOL_RESET = 'DISCARD ALL';

/** The parameters of a startup message (protocol 3.0: int32 length, int32 version, then name\0value\0 … \0). */
function startupParameters(bytes: Buffer): Map<string, string> {
  const parts = bytes.subarray(8).toString('utf8').split('\0');
  const params = new Map<string, string>();
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i]) params.set(parts[i]!, parts[i + 1]!);
  return params;
}

/** The SQL text of a Query ('Q') or Parse ('P') message; undefined for every other message. */
function statementText(message: WireMessage): string | undefined {
  const body = message.bytes.subarray(5);
  if (message.type === 'Q') return body.toString('utf8', 0, Math.max(0, body.indexOf(0)));
  if (message.type !== 'P') return undefined;
  const nameEnd = body.indexOf(0);
  return body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
}

/** ErrorResponse, as PostgreSQL sends it before closing a connection it will not serve. */
function fatal(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`, 'utf8');
  const header = Buffer.alloc(5);
  header.write('E', 0, 'latin1');
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

interface Fault {
  state: FaultState;
  sockets: Set<net.Socket>;
}

export async function startFaultProxy(options: {
  upstream: { host: string; port: number };
  port?: number;
  controlPort?: number;
  log?: (msg: string) => void;
}): Promise<FaultProxy> {
  const faults = new Map<string, Fault>();
  const open = new Set<net.Socket>();
  const faultOf = (id: string): Fault => {
    let fault = faults.get(id);
    if (!fault) {
      fault = {
        state: { plan: {}, statements: [], tripped: false, stopped: null, connections: 0, refused: 0 },
        sockets: new Set(),
      };
      faults.set(id, fault);
    }
    return fault;
  };

  /** Whether `text`, the next statement of `fault`, is the one its plan stops. */
  const stops = (fault: Fault, text: string): boolean => {
    const { plan, statements } = fault.state;
    if (plan.after !== undefined) return statements.length >= plan.after;
    if (plan.match === undefined) return false;
    if (!text.includes(plan.match)) return false;
    const seen = statements.filter((s) => s.includes(plan.match!)).length;
    return seen + 1 >= (plan.occurrence ?? 1);
  };

  const trip = (fault: Fault, text: string) => {
    fault.state.tripped = true;
    fault.state.stopped = text;
    for (const socket of fault.sockets) socket.destroy();
    fault.sockets.clear();
  };

  const server = net.createServer((client) => {
    client.setNoDelay(true);
    client.on('error', () => {});
    open.add(client);
    const read = frontendReader();
    let fault: Fault | undefined;
    let upstream: net.Socket | undefined;
    let started = false;

    const start = (startup: Buffer) => {
      started = true;
      const name = startupParameters(startup).get(APPLICATION_NAME) ?? '';
      if (name.startsWith(FAULT_PREFIX)) fault = faultOf(name.slice(FAULT_PREFIX.length));
      if (fault?.state.tripped) {
        fault.state.refused++;
        client.end(fatal('57P03', 'the database system is not accepting connections (fault injected)'));
        return false;
      }
      if (fault) {
        fault.state.connections++;
        fault.sockets.add(client);
      }
      upstream = net.connect(options.upstream);
      upstream.setNoDelay(true);
      open.add(upstream);
      upstream.on('data', (data) => client.write(data));
      upstream.on('error', () => client.destroy());
      upstream.on('close', () => client.destroy());
      if (fault) fault.sockets.add(upstream);
      upstream.write(startup);
      return true;
    };

    client.on('data', (chunk) => {
      for (const message of read(chunk)) {
        if (!started) {
          // An SSL or GSS request before the startup: this local proxy speaks plain TCP only.
          if (!message.startup && message.type === null) {
            client.write('N');
            continue;
          }
          if (!start(message.bytes)) return;
          continue;
        }
        const text = statementText(message);
        if (fault && text !== undefined && text !== POOL_RESET) {
          if (fault.state.tripped || stops(fault, text)) return trip(fault, text);
          fault.state.statements.push(text);
        }
        upstream?.write(message.bytes);
      }
    });
    client.on('close', () => {
      open.delete(client);
      if (upstream) open.delete(upstream);
      upstream?.destroy();
      if (fault && upstream) fault.sockets.delete(upstream);
      fault?.sockets.delete(client);
    });
  });

  const control = http.createServer((req, res) => {
    const match = /^\/faults\/([A-Za-z0-9_-]{1,60})$/.exec(new URL(req.url ?? '/', 'http://control').pathname);
    if (!match) return void res.writeHead(404).end();
    const fault = faultOf(match[1]!);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method === 'PUT') {
        const plan = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as FaultPlan;
        fault.state = { plan, statements: [], tripped: false, stopped: null, connections: 0, refused: 0 };
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(fault.state));
    });
  });

  const listen = (s: net.Server, port: number | undefined) =>
    new Promise<number>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port ?? 0, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
    });
  const port = await listen(server, options.port);
  const controlPort = await listen(control, options.controlPort);
  options.log?.(
    `fault proxy on 127.0.0.1:${port} (control :${controlPort}) -> ${options.upstream.host}:${options.upstream.port}`,
  );

  return {
    port,
    controlPort,
    close: async () => {
      for (const socket of open) socket.destroy();
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => control.close(() => resolve())),
      ]);
    },
  };
}
