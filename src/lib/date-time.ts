import { z } from 'zod';
import type { ErrorCodeOf } from './error-codes.ts';
import { DomainError } from './errors.ts';

/**
 * The instants the API accepts wherever a date enters (ADR 0024): years 0001–9999 once converted to UTC.
 * PostgreSQL stores far more (4713 BC to 294276 AD), but JavaScript writes a year outside 0000–9999 as
 * `+010000-…` or `-000001-…`, which PostgreSQL refuses, and year 0000 is refused whatever the spelling.
 */
export const EARLIEST_INSTANT = '0001-01-01T00:00:00.000Z';
export const LATEST_INSTANT = '9999-12-31T23:59:59.999Z';
export const EARLIEST_INSTANT_MS = Date.parse(EARLIEST_INSTANT);
export const LATEST_INSTANT_MS = Date.parse(LATEST_INSTANT);
export const EARLIEST_DAY = EARLIEST_INSTANT.slice(0, 10);
export const LATEST_DAY = LATEST_INSTANT.slice(0, 10);

/** For descriptions: what every date-time field accepts. */
export const DATE_TIME_BOUNDS = 'Years 0001–9999 once converted to UTC (400 otherwise).';
export const DAY_BOUNDS = 'Years 0001–9999 (400 otherwise).';

export const isInstantInRange = (epochMs: number): boolean =>
  epochMs >= EARLIEST_INSTANT_MS && epochMs <= LATEST_INSTANT_MS;

const FRACTION = /\.(\d+)/;
const HAS_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * The epoch milliseconds of an ISO 8601 date-time the schemas below accepted; one without an offset is
 * read as a wall-clock time in UTC. The fraction is cut to milliseconds first so that Date.parse sees
 * only the format ECMAScript defines, whatever precision the client sent.
 */
export function instantMs(value: string): number {
  const millis = value.replace(FRACTION, (_, digits: string) => `.${digits.padEnd(3, '0').slice(0, 3)}`);
  return Date.parse(HAS_OFFSET.test(millis) ? millis : `${millis}Z`);
}

function checkBounds(epochMs: number, ctx: z.RefinementCtx<string>, input: string): void {
  if (epochMs < EARLIEST_INSTANT_MS) {
    ctx.addIssue({
      code: 'too_small',
      origin: 'date',
      minimum: EARLIEST_INSTANT_MS,
      inclusive: true,
      input,
      message: `must not be before ${EARLIEST_INSTANT} once converted to UTC`,
    });
  } else if (epochMs > LATEST_INSTANT_MS) {
    ctx.addIssue({
      code: 'too_big',
      origin: 'date',
      maximum: LATEST_INSTANT_MS,
      inclusive: true,
      input,
      message: `must not be after ${LATEST_INSTANT} once converted to UTC`,
    });
  }
}

/**
 * The one date-time schema of the API: ISO 8601 with an offset (or Z), bounded to what the database and
 * the runtime both handle. `local` also takes a wall-clock time without offset (converted later, with a
 * time zone, by the caller, which checks the converted instant with isInstantInRange again).
 */
export function dateTimeSchema(options: { local?: boolean } = {}) {
  return z.iso
    .datetime({ offset: true, ...(options.local ? { local: true } : {}) })
    .superRefine((value, ctx) => checkBounds(instantMs(value), ctx, value));
}

/** A calendar day (YYYY-MM-DD) with the same bounds. */
export function daySchema() {
  return z.iso.date().superRefine((value, ctx) => checkBounds(Date.parse(`${value}T00:00:00Z`), ctx, value));
}

/**
 * The same bound for an instant already computed (a local time converted with its zone, a service's Date
 * input): 400 naming the field, with the code the caller reports malformed values of that field with.
 */
export function assertInstantInRange(
  epochMs: number,
  path: string,
  code: ErrorCodeOf<'validation'> = 'validation_failed',
): void {
  if (isInstantInRange(epochMs)) return;
  const message = `must lie between ${EARLIEST_INSTANT} and ${LATEST_INSTANT} once converted to UTC`;
  throw new DomainError('validation', `${path} ${message}.`, {
    code,
    fields: [{ path, message, code: epochMs < EARLIEST_INSTANT_MS ? 'too_small' : 'too_big' }],
  });
}

/** Date.UTC reads years 0–99 as 1900–1999; calendar fields of any year 0–9999 need the year set on its own. */
export function utcFromFields(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0) {
  const at = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  at.setUTCFullYear(year, month - 1, day);
  return at.getTime();
}
