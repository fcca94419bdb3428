/**
 * Local stand-in for Upstash Redis's REST API, so `@upstash/redis` and
 * `@upstash/ratelimit` can run against a plain Redis (or an in-memory mock)
 * in development and tests. This file is the HTTP side; the backends, the Lua
 * script rewriting and the reply encoding live next to it.
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
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Backend, type BatchReply, toError } from './backend.ts';
import { createCommandRunner } from './commands.ts';
import { encodeResult } from './encoding.ts';
import { memoryBackend } from './memory-backend.ts';
import { connectRedis, redact } from './redis-backend.ts';

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

const MAX_BODY_BYTES = 1024 * 1024;

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
  const { runOne, runBatch } = createCommandRunner(backend);

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
