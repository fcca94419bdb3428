import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { IsolateCache } from '../cache/isolate-cache.ts';
import { assertAuthenticationAllowed, recordAuthenticationFailure } from '../services/rate-limit/auth-failures.ts';
import { clientAddressKey } from '../services/rate-limit/client-address.ts';
import { SLUG_PATTERN } from '../services/organizations/slug-rules.ts';
import { credentialKey, deliveryRateLimitChecks } from '../services/rate-limit/delivery-limits.ts';
import { enforceRateLimits } from './rate-limit.ts';
import { serviceContext } from './request-context.ts';

/** `/delivery/v1/{org}/…` → the slug, if the segment could be one. */
function slugOf(path: string): string | undefined {
  const segment = path.split('/')[3];
  return segment && SLUG_PATTERN.test(segment) ? segment : undefined;
}

/**
 * Per isolate: credentials this isolate saw accepted in the last minute. They skip the failed-authentication
 * check (a Redis round trip), which exists for credentials that cost a lookup and fail; a 401 removes one.
 */
const accepted = new IsolateCache<true>({ ttlMs: 60_000, maxEntries: 10_000 });

/**
 * Every delivery request, before anything looks the organization or the token up in Postgres: an address
 * that failed authentication too often is refused (429) if it sends a credential, and the request is
 * counted per address and per token (docs/decisions/0029). Each 401 for a presented credential then
 * counts against the address. Runs inside CORS, so a browser can read the 429.
 */
export const deliveryRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const ctx = serviceContext(c);
  const address = clientAddressKey(c.req.header('cf-connecting-ip'));
  const header = c.req.header('authorization');
  const secret = header === undefined ? undefined : bearerCredential(header);
  const key = secret === undefined ? undefined : await credentialKey(secret);
  const checkFailures = header !== undefined && !(key && accepted.get(key));

  const [failures, limits] = await Promise.allSettled([
    checkFailures ? assertAuthenticationAllowed({ ctx, input: { address } }) : undefined,
    deliveryRateLimitChecks({ ctx, input: { slug: slugOf(c.req.path), address, credentialKey: key } }).then((checks) =>
      enforceRateLimits(c, checks),
    ),
  ]);
  if (failures.status === 'rejected') throw failures.reason;
  if (limits.status === 'rejected') throw limits.reason;

  await next();

  if (header === undefined) return;
  if (c.res.status === 401) {
    if (key) accepted.delete(key);
    await recordAuthenticationFailure({ ctx, input: { address } });
  } else if (key && c.res.status < 400) {
    accepted.set(key, true);
  }
};
