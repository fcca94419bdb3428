import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../app-env.ts';
import { DomainError } from '../lib/errors.ts';
import {
  checkRateLimit,
  type RateLimitOutcome,
  type RateLimitPolicy,
} from '../services/rate-limit/check-rate-limit.ts';
import { serviceContext } from './request-context.ts';

/**
 * RateLimit-Policy and RateLimit headers (draft-ietf-httpapi-ratelimit-headers) for every policy the
 * request was counted against, on success and on 429 alike. Runs outside the limiters.
 */
export const rateLimitHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('rateLimits', []);
  await next();
  const outcomes = c.get('rateLimits');
  if (outcomes.length === 0) return;
  c.res.headers.set(
    'ratelimit-policy',
    outcomes.map((o) => `"${o.policy.name}";q=${o.policy.limit};w=${o.policy.windowSeconds}`).join(', '),
  );
  c.res.headers.set(
    'ratelimit',
    outcomes.map((o) => `"${o.policy.name}";r=${o.remaining};t=${o.resetSeconds}`).join(', '),
  );
};

export interface RateLimitCheck {
  policy: RateLimitPolicy;
  identifier: string;
}

/**
 * Counts the request against every check at once (one Redis round trip in parallel) and records each
 * outcome for the headers; 429 when any refuses, with Retry-After long enough for all of them. `check`
 * decides each window: Redis on every request unless the caller picks another way.
 */
export async function enforceRateLimits(
  c: Context<AppEnv>,
  checks: RateLimitCheck[],
  check: typeof checkRateLimit = checkRateLimit,
): Promise<void> {
  const ctx = serviceContext(c);
  const namespace = c.get('config').rateLimits.prefix;
  const outcomes = await Promise.all(
    checks.map(({ policy, identifier }) => check({ ctx, input: { policy, identifier, namespace } })),
  );
  c.get('rateLimits').push(...outcomes);
  const refused = outcomes.filter((o) => !o.allowed);
  const [first] = refused;
  if (!first) return;
  const { policy } = first;
  throw new DomainError(
    'rate_limited',
    `Rate limit "${policy.name}" exceeded: ${policy.limit} requests per ${policy.windowSeconds} s. ` +
      `Retry in ${first.resetSeconds} s.`,
    {
      code: 'rate_limited',
      retryAfterSeconds: Math.max(1, ...refused.map((o) => o.resetSeconds)),
    },
  );
}

const enforce = (c: Context<AppEnv>, policy: RateLimitPolicy, identifier: string) =>
  enforceRateLimits(c, [{ policy, identifier }]);

/** The whole management API, per organization; the organization's own limit or the platform default. */
export const organizationRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const tenant = c.get('tenant');
  if (tenant) {
    const limit = tenant.apiRateLimitPerMinute ?? c.get('config').rateLimits.apiPerMinute;
    await enforce(c, { name: 'organization', limit, windowSeconds: 60 }, tenant.id);
  }
  await next();
};

/** A per-principal limit on one operation, e.g. the specification's 100 creates per hour per user. */
export const principalRateLimit =
  (name: string, limitOf: (c: Context<AppEnv>) => number, windowSeconds: number): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const principal = c.get('principal');
    if (principal) await enforce(c, { name, limit: limitOf(c), windowSeconds }, principal.id);
    await next();
  };

export type { RateLimitOutcome };
