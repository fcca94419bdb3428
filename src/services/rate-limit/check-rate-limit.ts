import { Ratelimit } from '@upstash/ratelimit';
import { describe } from '../../lib/logger.ts';
import type { ServiceContext } from '../container.ts';

export interface RateLimitPolicy {
  /** Appears in the RateLimit headers and the Redis key prefix. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface RateLimitOutcome {
  policy: RateLimitPolicy;
  allowed: boolean;
  remaining: number;
  resetSeconds: number;
  /** Decided by the per-isolate fallback because Redis did not answer (docs/decisions/0007). */
  degraded: boolean;
}

const REDIS_TIMEOUT_MS = 1_000;
// Per isolate: identifiers known to be over the limit skip the Redis round trip until their reset.
const ephemeralCaches = new Map<string, Map<string, number>>();
// Per isolate: the fallback counters used while Redis is unreachable.
const fallbackWindows = new Map<string, { window: number; count: number }>();

function fallback(policy: RateLimitPolicy, identifier: string, now: number): RateLimitOutcome {
  const windowMs = policy.windowSeconds * 1000;
  const window = Math.floor(now / windowMs);
  const key = `${policy.name}:${identifier}`;
  const entry = fallbackWindows.get(key);
  const count = entry && entry.window === window ? entry.count + 1 : 1;
  fallbackWindows.set(key, { window, count });
  if (fallbackWindows.size > 10_000) fallbackWindows.clear(); // bounded memory in a long-lived isolate
  return {
    policy,
    allowed: count <= policy.limit,
    remaining: Math.max(0, policy.limit - count),
    resetSeconds: Math.ceil(((window + 1) * windowMs - now) / 1000),
    degraded: true,
  };
}

/**
 * Sliding window in Upstash Redis, keyed by policy and identifier, so one organization's traffic never
 * counts against another's. When Redis fails or is too slow, the request is judged by a per-isolate
 * fixed window with the same limit instead of being refused or let through unchecked.
 */
export async function checkRateLimit({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { policy: RateLimitPolicy; identifier: string; namespace: string };
}): Promise<RateLimitOutcome> {
  const { policy, identifier } = input;
  const redis = ctx.services.redis;
  if (!redis) return fallback(policy, identifier, Date.now());
  let cache = ephemeralCaches.get(policy.name);
  if (!cache) {
    cache = new Map();
    ephemeralCaches.set(policy.name, cache);
  }
  const limiter = new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(policy.limit, `${policy.windowSeconds} s`),
    prefix: `${input.namespace}:${policy.name}:${policy.limit}:${policy.windowSeconds}`,
    ephemeralCache: cache,
    timeout: REDIS_TIMEOUT_MS,
    analytics: false,
  });
  try {
    const result = await limiter.limit(identifier);
    ctx.services.defer(() => result.pending);
    if (result.reason === 'timeout') {
      ctx.logger.log('warn', 'rate limit: redis timed out; using the per-isolate fallback', { policy: policy.name });
      return fallback(policy, identifier, Date.now());
    }
    return {
      policy,
      allowed: result.success,
      remaining: Math.max(0, result.remaining),
      resetSeconds: Math.max(0, Math.ceil((result.reset - Date.now()) / 1000)),
      degraded: false,
    };
  } catch (err) {
    ctx.logger.log('warn', 'rate limit: redis failed; using the per-isolate fallback', {
      policy: policy.name,
      error: describe(err),
    });
    return fallback(policy, identifier, Date.now());
  }
}
