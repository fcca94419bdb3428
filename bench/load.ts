/**
 * One load case, run in its own process (`node bench/load.ts <spec.json>`) so the load generator never
 * shares an event loop with the local stack it measures. Prints one JSON line: the autocannon summary.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Each request takes the next of these paths (delivery miss: every id read once). */
  paths?: string[];
  /** Each request updates one of these items with If-Match (its current version), never one another request is updating. */
  updateItems?: { id: string; version: number }[];
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

function requestsFor(spec: LoadSpec): autocannon.Request[] {
  if (spec.paths) {
    let next = 0;
    const paths = spec.paths;
    return [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length] }) }];
  }
  if (spec.updateItems) {
    const versions = new Map(spec.updateItems.map((item) => [item.id, item.version]));
    const idle = spec.updateItems.map((item) => item.id);
    return [
      {
        setupRequest: (req, context) => {
          const id = idle.shift()!;
          (context as { id?: string }).id = id;
          return {
            ...req,
            method: 'PUT',
            path: `/api/v1/content/${id}`,
            headers: { ...req.headers, 'if-match': `"${versions.get(id)}"` },
            body: JSON.stringify({ body: `Revised at ${Date.now()}` }),
          };
        },
        onResponse: (status, body, context) => {
          const id = (context as { id: string }).id;
          if (status === 200) versions.set(id, (JSON.parse(body) as { version: number }).version);
          idle.push(id);
        },
      },
    ];
  }
  return [{}];
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.duration,
    requests: requestsFor(spec).map((request) => ({
      method: spec.method ?? 'GET',
      path: spec.path,
      headers: spec.headers ?? {},
      ...(spec.body ? { body: spec.body } : {}),
      ...request,
    })),
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, count] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = (count as { count: number }).count;
  return {
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const spec = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as LoadSpec;
  runLoad(spec).then(
    (result) => console.log(JSON.stringify(result)),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
