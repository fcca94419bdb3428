import { assertInstantInRange, LATEST_INSTANT_MS } from './date-time.ts';
import { DomainError } from './errors.ts';

/**
 * Either end outside the instants the API accepts is 400, as the query schemas say (a service may be
 * called with Dates that never met them); a window the wrong way round is well formed but meaningless: 422.
 */
export function assertTimeRange(from: Date | undefined, to: Date | undefined): void {
  if (from) assertInstantInRange(from.getTime(), 'query.from');
  if (to) assertInstantInRange(to.getTime(), 'query.to');
  if (!from || !to || from.getTime() <= to.getTime()) return;
  throw new DomainError('rule_violation', '`from` must not be after `to`.', {
    code: 'invalid_time_range',
    fields: [{ path: 'query.from', message: 'must not be after query.to', code: 'invalid_time_range' }],
  });
}

/**
 * Timestamps are shown to the millisecond but stored to the microsecond: an inclusive `to` set to an
 * item's own shown time must still include it, so the bound covers the whole millisecond (exclusive end).
 * The latest instant the API accepts has no end: its next millisecond is year 10000, which the database
 * refuses from JavaScript, and nothing the API stores lies beyond it.
 */
export const endOfMillisecond = (to: Date): Date | undefined =>
  to.getTime() >= LATEST_INSTANT_MS ? undefined : new Date(to.getTime() + 1);
