import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../app-env.ts';

/** Headers a browser script may read from delivery responses. */
const EXPOSED = [
  'ETag',
  'Cache-Tag',
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'X-Request-Id',
  'X-Delivery-Cache',
  'X-Delivery-Stale',
].join(', ');

/**
 * Published content is read from any website: every origin may GET (and send engagement events). No
 * cookies are involved (tokens travel in Authorization), so `*` is safe and keeps the CDN's copy shareable.
 */
export const deliveryCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'OPTIONS') {
    return c.body(null, 204, {
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, HEAD, POST, OPTIONS',
      'access-control-allow-headers': 'Authorization, Content-Type, If-None-Match, Idempotency-Key',
      'access-control-max-age': '86400',
    });
  }
  await next();
  c.res.headers.set('access-control-allow-origin', '*');
  c.res.headers.set('access-control-expose-headers', EXPOSED);
};
