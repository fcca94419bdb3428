import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { assertAuthenticationAllowed, recordAuthenticationFailure } from '../services/rate-limit/auth-failures.ts';
import { clientAddressKey } from '../services/rate-limit/client-address.ts';
import { SLUG_PATTERN } from '../services/organizations/slug-rules.ts';
import { deliveryRateLimitChecks, seenCredential } from '../services/rate-limit/delivery-limits.ts';
import { checkRateLimitAtEdge } from '../services/rate-limit/edge-rate-limit.ts';
import { enforceRateLimits } from './rate-limit.ts';
import { serviceContext } from './request-context.ts';

/** `/delivery/v1/{org}/…` → the slug, if the segment could be one. */
function slugOf(path: string): string | undefined {
  const segment = path.split('/')[3];
  return segment && SLUG_PATTERN.test(segment) ? segment : undefined;
}

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
  const credential = secret === undefined ? undefined : await seenCredential(secret);
  // A credential this isolate saw accepted lately skips the failed-authentication check (a Redis round
  // trip): that check exists for credentials that cost a lookup and fail.
  const checkFailures = header !== undefined && !credential?.accepted;

  const [failures, limits] = await Promise.allSettled([
    checkFailures ? assertAuthenticationAllowed({ ctx, input: { address } }) : undefined,
    deliveryRateLimitChecks({
      ctx,
      input: { slug: slugOf(c.req.path), address, credentialKey: credential?.digest },
    }).then((checks) => enforceRateLimits(c, checks, checkRateLimitAtEdge)),
  ]);
  if (failures.status === 'rejected') throw failures.reason;
  if (limits.status === 'rejected') throw limits.reason;

  await next();

  if (header === undefined) return;
  if (c.res.status === 401) {
    if (credential) credential.accepted = false;
    await recordAuthenticationFailure({ ctx, input: { address } });
  } else if (credential && c.res.status < 400) {
    credential.accepted = true;
  }
};
