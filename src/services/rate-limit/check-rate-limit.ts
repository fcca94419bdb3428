import { Ratelimit } from '@upstash/ratelimit';
import { describe } from '../../lib/logger.ts';
import { withTimeout } from '../../lib/timeout.ts';
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

export interface RateLimitInput {
  policy: RateLimitPolicy;
  identifier: string;
  namespace: string;
  /** How much this request uses of the window (engagement events count one each); 1 when omitted. */
  cost?: number;
}

const REDIS_TIMEOUT_MS = 1_000;
/**
 * After Redis failed or timed out, this isolate judges by the fallback for a while without asking it: a
 * Redis that hangs would otherwise add the full timeout to every request, delivery reads included.
 */
const REDIS_RETRY_AFTER_MS = 10_000;
// Per isolate: identifiers known to be over the limit skip the Redis round trip until their reset.
const ephemeralCaches = new Map<string, Map<string, number>>();
// Per isolate: the fallback counters used while Redis is unreachable.
const fallbackWindows = new Map<string, { window: number; count: number }>();
// Per isolate and Redis endpoint: until when Redis is not asked (see REDIS_RETRY_AFTER_MS).
const redisUnhealthyUntil = new Map<string, number>();

function fallback(policy: RateLimitPolicy, identifier: string, now: number, cost: number): RateLimitOutcome {
  const windowMs = policy.windowSeconds * 1000;
  const window = Math.floor(now / windowMs);
  const key = `${policy.name}:${policy.limit}:${identifier}`;
  const entry = fallbackWindows.get(key);
  const used = entry && entry.window === window ? entry.count : 0;
  // As the Redis script does: a full window counts nothing more; otherwise the cost is counted, and the
  // request is allowed when it fitted. A peek (cost 0) only asks whether anything is left.
  const count = used >= policy.limit ? used : used + cost;
  const allowed = cost === 0 ? used < policy.limit : used < policy.limit && count <= policy.limit;
  if (count !== used) fallbackWindows.set(key, { window, count });
  if (fallbackWindows.size > 10_000) fallbackWindows.clear(); // bounded memory in a long-lived isolate
  return {
    policy,
    allowed,
    remaining: Math.max(0, policy.limit - count),
    resetSeconds: Math.ceil(((window + 1) * windowMs - now) / 1000),
    degraded: true,
  };
}

function limiterFor(ctx: ServiceContext, input: RateLimitInput): Ratelimit | undefined {
  const redis = ctx.services.redis;
  const endpoint = ctx.services.config.upstash?.url ?? '';
  if (!redis || (redisUnhealthyUntil.get(endpoint) ?? 0) > Date.now()) return undefined;
  const { policy } = input;
  let cache = ephemeralCaches.get(policy.name);
  if (!cache) {
    cache = new Map();
    ephemeralCaches.set(policy.name, cache);
  }
  return new Ratelimit({
    redis,
    limiter: Ratelimit.slidingWindow(policy.limit, `${policy.windowSeconds} s`),
    prefix: `${input.namespace}:${policy.name}:${policy.limit}:${policy.windowSeconds}`,
    ephemeralCache: cache,
    timeout: REDIS_TIMEOUT_MS,
    analytics: false,
  });
}

function redisFailed(ctx: ServiceContext, input: RateLimitInput, message: string, err?: unknown): RateLimitOutcome {
  redisUnhealthyUntil.set(ctx.services.config.upstash?.url ?? '', Date.now() + REDIS_RETRY_AFTER_MS);
  ctx.logger.log('warn', message, { policy: input.policy.name, ...(err ? { error: describe(err) } : {}) });
  return fallback(input.policy, input.identifier, Date.now(), input.cost ?? 1);
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
  input: RateLimitInput;
}): Promise<RateLimitOutcome> {
  const { policy, identifier } = input;
  const cost = input.cost ?? 1;
  const limiter = limiterFor(ctx, input);
  if (!limiter) return fallback(policy, identifier, Date.now(), cost);
  try {
    const result = await limiter.limit(identifier, { rate: cost });
    ctx.services.defer(() => result.pending);
    if (result.reason === 'timeout')
      return redisFailed(ctx, input, 'rate limit: redis timed out; using the per-isolate fallback');
    return {
      policy,
      allowed: result.success,
      remaining: Math.max(0, result.remaining),
      resetSeconds: Math.max(0, Math.ceil((result.reset - Date.now()) / 1000)),
      degraded: false,
    };
  } catch (err) {
    return redisFailed(ctx, input, 'rate limit: redis failed; using the per-isolate fallback', err);
  }
}

/**
 * What is left of a window without using any of it: `allowed` is false once nothing is left. For limits
 * that count outcomes (failed authentications), which are checked before the request and counted after.
 */
export async function peekRateLimit({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: Omit<RateLimitInput, 'cost'>;
}): Promise<RateLimitOutcome> {
  const { policy, identifier } = input;
  const peek = { ...input, cost: 0 };
  const limiter = limiterFor(ctx, peek);
  if (!limiter) return fallback(policy, identifier, Date.now(), 0);
  try {
    const left = await withTimeout(limiter.getRemaining(identifier), REDIS_TIMEOUT_MS, 'rate limit peek');
    return {
      policy,
      allowed: left.remaining > 0,
      remaining: Math.max(0, left.remaining),
      resetSeconds: Math.max(0, Math.ceil((left.reset - Date.now()) / 1000)),
      degraded: false,
    };
  } catch (err) {
    return redisFailed(ctx, peek, 'rate limit: redis failed; using the per-isolate fallback', err);
  }
}
