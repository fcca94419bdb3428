import http from 'node:http';
import type { JWK } from 'jose';

/**
 * A stand-in identity provider's JWKS endpoint on loopback: `/jwks.json` serves the public keys,
 * `/broken.json` answers 500, `/garbage.json` answers 200 with no key set.
 */
export async function startJwksServer(port: number, publicKeys: JWK[]): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    // Tests add a query string to get a cold per-URL key-set cache in the Worker.
    const path = new URL(req.url ?? '/', 'http://jwks').pathname;
    if (path === '/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: publicKeys }));
    } else if (path === '/broken.json') {
      res.writeHead(500).end('internal error');
    } else if (path === '/garbage.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"not":"a key set"}');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
