import http from 'node:http';
import type { JWK } from 'jose';

/** What a switchable key set endpoint does: serve (some of) the keys, fail with 503, or never answer. */
type Mode = 'up' | 'down' | 'hang';

interface SwitchableSet {
  mode: Mode;
  /** The kids served in mode `up`; undefined serves every key. */
  kids: string[] | undefined;
  hits: number;
}

const NAME = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A stand-in identity provider's JWKS endpoint on loopback: `/jwks.json` serves the public keys,
 * `/broken.json` answers 500, `/garbage.json` answers 200 with no key set.
 *
 * `/idp/<name>/jwks.json` is a key set a test can switch and count, one per name so tests never share one:
 * `POST /control/<name>?mode=up|down|hang[&kids=a,b]` sets it (`kids` narrows which keys are served) and
 * `GET /control/<name>` answers `{ mode, kids, hits }`, hits counting requests for the key set.
 */
export async function startJwksServer(port: number, publicKeys: JWK[]): Promise<{ close(): Promise<void> }> {
  const sets = new Map<string, SwitchableSet>();
  const held = new Set<http.ServerResponse>();
  const setOf = (name: string) => {
    let set = sets.get(name);
    if (!set) {
      set = { mode: 'up', kids: undefined, hits: 0 };
      sets.set(name, set);
    }
    return set;
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = http.createServer((req, res) => {
    // Tests add a query string to get a cold per-URL key-set cache in the Worker.
    const url = new URL(req.url ?? '/', 'http://jwks');
    const path = url.pathname;
    const [, area, name, file] = path.split('/');
    if (path === '/jwks.json') {
      json(res, 200, { keys: publicKeys });
    } else if (path === '/broken.json') {
      res.writeHead(500).end('internal error');
    } else if (path === '/garbage.json') {
      json(res, 200, { not: 'a key set' });
    } else if (area === 'idp' && name && NAME.test(name) && file === 'jwks.json') {
      const set = setOf(name);
      set.hits += 1;
      if (set.mode === 'down') res.writeHead(503).end('identity provider unavailable');
      else if (set.mode === 'hang') held.add(res);
      else json(res, 200, { keys: publicKeys.filter((k) => !set.kids || set.kids.includes(k.kid ?? '')) });
    } else if (area === 'control' && name && NAME.test(name) && file === undefined) {
      const set = setOf(name);
      if (req.method === 'POST') {
        const mode = url.searchParams.get('mode');
        if (mode === 'up' || mode === 'down' || mode === 'hang') set.mode = mode;
        const kids = url.searchParams.get('kids');
        if (kids !== null) set.kids = kids === '' ? [] : kids.split(',');
      }
      json(res, 200, set);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of held) res.destroy();
        server.close(() => resolve());
      }),
  };
}
