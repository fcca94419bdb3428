/**
 * When a failed delivery is tried again: about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 24 h after each
 * failure (eight attempts over about 42 hours), each delay jittered by ±10 % so that retries after an
 * outage do not arrive together. After the last one the delivery is dead-lettered.
 */
export const RETRY_DELAYS_SECONDS = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 24 * 3600] as const;
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;
const JITTER = 0.1;

/** Cloudflare Queues refuse a delaySeconds above 12 hours; longer waits are sent later by the cron. */
export const QUEUE_MAX_DELAY_SECONDS = 12 * 3600;

/** Retry-After is honoured as a lower bound, up to a day. */
const MAX_RETRY_AFTER_SECONDS = 24 * 3600;

/** An endpoint whose every attempt has failed for this long is turned off. */
export const DISABLE_AFTER_FAILING_MS = 3 * 24 * 3600 * 1000;

/** Seconds to wait after the `failedAttempts`-th failed attempt, or undefined once the schedule is spent. */
export function retryDelaySeconds(failedAttempts: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_SECONDS[failedAttempts - 1];
  if (base === undefined) return undefined;
  return Math.max(1, Math.round(base * (1 - JITTER + 2 * JITTER * random())));
}

/** Retry-After as seconds from `now` (RFC 9110: delay-seconds or an HTTP-date), capped at a day. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const seconds = /^\d+$/.test(trimmed) ? Number(trimmed) : Math.ceil((Date.parse(trimmed) - now.getTime()) / 1000);
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}
