import http from 'node:http';

/**
 * A webhook receiver on loopback for the tests (workerd cannot listen on sockets). What it answers is
 * chosen by the path, so every test programs its own endpoint just by naming it, with a unique id last:
 *
 *   /hooks/ok/<id>                              200
 *   /hooks/fail/<k>/<id>                        500 for the first k requests, then 200
 *   /hooks/status/<code>/<id>                   always <code> (3xx with Location: /hooks/ok/<id>-redirected)
 *   /hooks/retry-after/<code>/<seconds>/<id>    <code> with Retry-After: <seconds>
 *   /hooks/big/<id>                             200 with a 64 KiB body
 *   /hooks/slow/<ms>/<id>                       200 after <ms> milliseconds
 *
 * Every request under /hooks/ is recorded; `GET /_recorded/<path after /hooks/>` returns them in order.
 * `/dns-query?name=…&type=A|AAAA` is a stand-in DNS-over-HTTPS resolver (JSON format), answering by the
 * label before `.test`: see ANSWERS. `<anything>.rebind.test` answers a public address once, then loopback.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

const A = 1;
const AAAA = 28;

/** label → answers (type, address) */
const ANSWERS: Record<string, Array<[number, string]>> = {
  public: [[A, '1.1.1.1']],
  private: [[A, '10.1.2.3']],
  private172: [[A, '172.20.0.5']],
  private192: [[A, '192.168.1.10']],
  loopback: [[A, '127.0.0.1']],
  metadata: [[A, '169.254.169.254']],
  linklocal: [[A, '169.254.7.7']],
  ula: [[AAAA, 'fd12:3456::1']],
  mapped: [[AAAA, '::ffff:10.0.0.1']],
  mixed: [
    [A, '1.1.1.1'],
    [A, '192.168.1.10'],
  ],
};

export async function startWebhookReceiver(port: number): Promise<{ close(): Promise<void> }> {
  const recorded = new Map<string, RecordedRequest[]>();
  const dnsQueries = new Map<string, number>();

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (url.pathname === '/dns-query') return answerDns(url, res);
      if (url.pathname.startsWith('/_recorded/')) {
        const key = `/hooks/${url.pathname.slice('/_recorded/'.length)}`;
        return void res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify(recorded.get(key) ?? []));
      }
      if (!url.pathname.startsWith('/hooks/')) return void res.writeHead(404).end();
      const seen = recorded.get(url.pathname) ?? [];
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
      );
      seen.push({ method: req.method ?? '', path: url.pathname, headers, body, receivedAt: Date.now() });
      recorded.set(url.pathname, seen);
      respond(url.pathname, seen.length, res);
    });
  });

  function respond(path: string, count: number, res: http.ServerResponse) {
    const [, , scenario, a, b] = path.split('/');
    const id = path.split('/').at(-1);
    switch (scenario) {
      case 'ok':
        return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
      case 'fail':
        if (count <= Number(a))
          return void res.writeHead(500, { 'content-type': 'text/plain' }).end(`failure ${count} of ${a}`);
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('recovered');
      case 'status': {
        const code = Number(a);
        const headers: Record<string, string> = { 'content-type': 'text/plain' };
        if (code >= 300 && code < 400) headers.location = `/hooks/ok/${id}-redirected`;
        return void res.writeHead(code, headers).end(`status ${code}`);
      }
      case 'retry-after':
        return void res
          .writeHead(Number(a), { 'retry-after': String(b), 'content-type': 'text/plain' })
          .end('slow down');
      case 'big':
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('x'.repeat(64 * 1024));
      case 'slow':
        setTimeout(() => res.writeHead(200).end('late'), Number(a));
        return;
      default:
        return void res.writeHead(404).end();
    }
  }

  function answerDns(url: URL, res: http.ServerResponse) {
    const name = (url.searchParams.get('name') ?? '').toLowerCase().replace(/\.$/, '');
    const type = url.searchParams.get('type') === 'AAAA' ? AAAA : A;
    const labels = name.split('.');
    const label = labels.at(-1) === 'test' ? (labels.at(-2) ?? '') : '';
    let answers = ANSWERS[label];
    if (label === 'rebind') {
      const key = `${name}/${type}`;
      const n = (dnsQueries.get(key) ?? 0) + 1;
      dnsQueries.set(key, n);
      answers = [[A, n === 1 ? '1.1.1.1' : '127.0.0.1']];
    }
    const body = answers
      ? {
          Status: 0,
          Answer: answers
            .filter(([t]) => t === type)
            .map(([t, data]) => ({ name: `${name}.`, type: t, TTL: 60, data })),
        }
      : { Status: 3 };
    res.writeHead(200, { 'content-type': 'application/dns-json' }).end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
