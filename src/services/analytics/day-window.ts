import { EARLIEST_DAY } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';
import { assertTimeRange } from '../../lib/time-range.ts';

const DAY_MS = 86_400_000;

/** Default window of the analytics reads: today and the 29 days before (like last30Days). */
export const DEFAULT_WINDOW_DAYS = 30;
/** A year, leap day included: enough for year-on-year views, bounded so a read stays cheap. */
export const MAX_WINDOW_DAYS = 366;

/** The UTC calendar day of an instant, as engagement_daily stores it ('YYYY-MM-DD'). */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/** `day` moved by `days` (negative: earlier). */
export const addDays = (day: string, days: number): string =>
  utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));

/** YYYY-MM-DD of years 0001–9999 sort as text; anything earlier (a year 0000 or a signed year) loses. */
const maxDay = (a: string, b: string) => (/^\d{4}-/.test(a) && a > b ? a : b);

const startOf = (day: string) => new Date(`${day}T00:00:00Z`);

export interface DayWindow {
  /** Inclusive, UTC. */
  from: string;
  /** Inclusive, UTC. */
  to: string;
}

/**
 * The `from`/`to` of an analytics read, both inclusive UTC days. `to` defaults to today and `from` to the
 * 29 days before `to`; `from` after `to` is the same 422 as every other time range of the API.
 */
export function resolveDayWindow(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date = new Date(),
): DayWindow {
  const to = input.to ?? utcDay(now);
  // Near the first day the API accepts, the default window is shorter rather than reaching year 0000.
  const from = input.from ?? maxDay(addDays(to, -(DEFAULT_WINDOW_DAYS - 1)), EARLIEST_DAY);
  assertTimeRange(startOf(from), startOf(to));
  const days = (startOf(to).getTime() - startOf(from).getTime()) / DAY_MS + 1;
  if (days > MAX_WINDOW_DAYS) {
    throw new DomainError('rule_violation', `The window covers ${days} days; at most ${MAX_WINDOW_DAYS} are allowed.`, {
      code: 'time_range_too_long',
      fields: [
        {
          path: 'query.from',
          message: `must be at most ${MAX_WINDOW_DAYS - 1} days before query.to`,
          code: 'time_range_too_long',
        },
      ],
    });
  }
  return { from, to };
}
