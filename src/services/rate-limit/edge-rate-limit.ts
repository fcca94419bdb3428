import type { ServiceContext } from '../container.ts';
import { checkRateLimit, type RateLimitInput, type RateLimitOutcome } from './check-rate-limit.ts';

/** How long this isolate decides on its own from Redis's last answer before asking again on the request path. */
const FRESH_MS = 1_000;
/** How often at most a view reports what it let through (the delay other isolates see it with). */
const REPORT_EVERY_MS = 250;
/** Rounds one report may run while requests keep arriving, so it holds its request's waitUntil briefly. */
const REPORT_ROUNDS = 2;
/** A report not finished by then was cut off with its request (waitUntil has limits): it no longer blocks. */
const REPORT_ABANDONED_MS = 5_000;
const MAX_VIEWS = 10_000;

/** What this isolate knows of one window: Redis's last answer, and what it let through since. */
interface View {
  remaining: number;
  resetSeconds: number;
  answeredAt: number;
  degraded: boolean;
  /** Requests let through here and not yet sent to Redis. */
  unreported: number;
  /** Requests in the report under way: counted in Redis, perhaps, but not in the answer held. */
  reporting: number;
  /** When the report now scheduled or under way began; undefined when there is none. */
  reportSince: number | undefined;
  reportedAt: number;
}

// Per isolate. Keyed like the Redis window itself, so a changed limit is a new view.
const views = new Map<string, View>();

const keyOf = ({ namespace, policy, identifier }: RateLimitInput) =>
  `${namespace}:${policy.name}:${policy.limit}:${policy.windowSeconds}:${identifier}`;

function remember(key: string, view: View): void {
  views.delete(key);
  if (views.size >= MAX_VIEWS) {
    const oldest = views.keys().next().value;
    if (oldest !== undefined) views.delete(oldest);
  }
  views.set(key, view);
}

function answered(view: View, outcome: RateLimitOutcome): void {
  view.remaining = outcome.remaining;
  view.resetSeconds = outcome.resetSeconds;
  view.degraded = outcome.degraded;
  view.answeredAt = Date.now();
}

function reportPending(view: View, now: number): boolean {
  if (view.reportSince === undefined) return false;
  if (now - view.reportSince < REPORT_ABANDONED_MS) return true;
  view.reportSince = undefined;
  view.reporting = 0;
  return false;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends what was let through, after the response and at most every REPORT_EVERY_MS per view: one Redis
 * command carries a batch of requests rather than one each. The answer becomes the view.
 */
function report(ctx: ServiceContext, input: RateLimitInput, view: View): void {
  const since = Date.now();
  view.reportSince = since;
  ctx.services.defer(async () => {
    try {
      for (let round = 0; round < REPORT_ROUNDS && view.unreported > 0 && view.reportSince === since; round++) {
        const wait = view.reportedAt + REPORT_EVERY_MS - Date.now();
        if (wait > 0) await sleep(wait);
        const cost = view.unreported;
        view.unreported = 0;
        view.reporting = cost;
        view.reportedAt = Date.now();
        answered(view, await checkRateLimit({ ctx, input: { ...input, cost } }));
        view.reporting = 0;
      }
    } finally {
      if (view.reportSince === since) {
        view.reporting = 0;
        view.reportSince = undefined;
      }
    }
  });
}

/**
 * The delivery API's limits without a Redis round trip on the hot path (docs/decisions/0029). The first
 * request of a window in this isolate, and any when the last answer is over a second old with no report
 * under way, asks Redis as checkRateLimit does. In between, the isolate decides from Redis's last answer
 * minus what it has let through since, and reports those requests after the response, in batches at most
 * every 250 ms. Every request is counted in Redis; a refusal can come late by what other isolates let
 * through meanwhile.
 */
export async function checkRateLimitAtEdge({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: RateLimitInput;
}): Promise<RateLimitOutcome> {
  const key = keyOf(input);
  const view = views.get(key);
  const now = Date.now();
  if (!view || (now - view.answeredAt >= FRESH_MS && !reportPending(view, now))) {
    const outcome = await checkRateLimit({ ctx, input: { ...input, cost: 1 + (view?.unreported ?? 0) } });
    const next: View = view ?? {
      remaining: 0,
      resetSeconds: 0,
      answeredAt: 0,
      degraded: false,
      unreported: 0,
      reporting: 0,
      reportSince: undefined,
      reportedAt: 0,
    };
    next.unreported = 0;
    next.reportedAt = Date.now();
    answered(next, outcome);
    remember(key, next);
    return outcome;
  }
  const left = view.remaining - view.reporting - view.unreported;
  const allowed = left > 0;
  if (allowed) view.unreported += 1;
  if (view.unreported > 0 && !reportPending(view, now)) report(ctx, input, view);
  const elapsed = Math.floor((now - view.answeredAt) / 1000);
  return {
    policy: input.policy,
    allowed,
    remaining: Math.max(0, left - (allowed ? 1 : 0)),
    resetSeconds: Math.max(0, view.resetSeconds - elapsed),
    degraded: view.degraded,
  };
}
