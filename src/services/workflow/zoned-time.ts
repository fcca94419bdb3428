import { assertInstantInRange, instantMs, utcFromFields } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';

const DAY_MS = 86_400_000;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const TRAILING_OFFSET = /(?:Z|[+-]\d{2}:?\d{2})$/i;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl is the time-zone database the runtime ships; a zone it does not know cannot be converted. */
function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(timeZone);
  if (formatter) return formatter;
  try {
    formatter = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    return undefined;
  }
  formatters.set(timeZone, formatter);
  return formatter;
}

export const isKnownTimeZone = (timeZone: string): boolean => formatterFor(timeZone) !== undefined;

function knownFormatter(timeZone: string): Intl.DateTimeFormat {
  const formatter = formatterFor(timeZone);
  if (formatter) return formatter;
  throw new DomainError('validation', `Unknown time zone "${timeZone}"; use an IANA name such as Europe/London.`, {
    code: 'unknown_time_zone',
    fields: [{ path: 'body.timeZone', message: `unknown time zone "${timeZone}"`, code: 'unknown_time_zone' }],
  });
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive), to the second. */
export function zoneOffsetMs(timeZone: string, epochMs: number): number {
  const parts = knownFormatter(timeZone).formatToParts(new Date(epochMs));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  // Years before 1 AD print as 1 BC, 2 BC, …: year 0 is 1 BC.
  const bc = parts.find((p) => p.type === 'era')?.value === 'BC';
  // Some engines still print midnight as 24 with hourCycle h23.
  const wallClock = utcFromFields(
    bc ? 1 - part('year') : part('year'),
    part('month'),
    part('day'),
    part('hour') % 24,
    part('minute'),
    part('second'),
  );
  return wallClock - Math.floor(epochMs / 1000) * 1000;
}

const invalidDateTime = (value: string, why: string) =>
  new DomainError('validation', `scheduledAt "${value}" is not a valid date-time: ${why}.`, {
    code: 'invalid_date_time',
    fields: [{ path: 'body.scheduledAt', message: why, code: 'invalid_date_time' }],
  });

/** The wall-clock reading as if it were UTC, after checking it names a real calendar date and time. */
function wallClockAsUtc(local: string): number {
  const match = LOCAL_DATE_TIME.exec(local);
  if (!match) throw invalidDateTime(local, 'expected YYYY-MM-DDTHH:mm[:ss[.fff]]');
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((n) => Number(n ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = utcFromFields(year, month, day, hour, minute, second, millis);
  const check = new Date(utc);
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw invalidDateTime(local, 'no such date or time of day');
  }
  return utc;
}

export interface ZonedInstant {
  instant: Date;
  /** The wall-clock time happened twice (a fall-back hour); the earlier instant was taken. */
  ambiguous: boolean;
}

/**
 * A wall-clock time in a zone as a UTC instant. Offsets around the reading are tried (a day either side
 * covers any single transition); a candidate is right when the zone really has that offset at that instant.
 * None right: the time falls in a spring-forward gap and never happens (422). Two right: a fall-back hour
 * that happens twice; the earlier is taken, so a schedule never fires later than the first time the clock
 * shows that reading.
 */
export function localToInstant(local: string, timeZone: string): ZonedInstant {
  const wallClock = wallClockAsUtc(local);
  const offsets = new Set([wallClock - DAY_MS, wallClock, wallClock + DAY_MS].map((t) => zoneOffsetMs(timeZone, t)));
  const candidates = [...offsets]
    .map((offset) => ({ offset, instant: wallClock - offset }))
    .filter(({ offset, instant }) => zoneOffsetMs(timeZone, instant) === offset)
    .map(({ instant }) => instant)
    .sort((a, b) => a - b);
  const first = candidates[0];
  if (first === undefined) {
    throw new DomainError(
      'rule_violation',
      `${local} does not exist in ${timeZone}: the clocks skip it (daylight-saving change).`,
      {
        code: 'nonexistent_local_time',
        fields: [
          {
            path: 'body.scheduledAt',
            message: `${local} never happens in ${timeZone}`,
            code: 'nonexistent_local_time',
          },
        ],
      },
    );
  }
  assertInstantInRange(first, 'body.scheduledAt', 'invalid_date_time');
  return { instant: new Date(first), ambiguous: candidates.length > 1 };
}

/** A schedule as sent, checked for form (400s); whether the time exists and is consistent is decided later (422s). */
export type ScheduleTime =
  | { kind: 'instant'; value: string; epochMs: number; timeZone: string | undefined }
  | { kind: 'local'; value: string; timeZone: string };

/**
 * What a client may send as a schedule: an instant with an offset (or Z), or a local date-time plus an
 * IANA time zone.
 */
export function parseScheduleTime(scheduledAt: string, timeZone: string | undefined): ScheduleTime {
  if (timeZone !== undefined) knownFormatter(timeZone);
  if (TRAILING_OFFSET.test(scheduledAt)) {
    const epochMs = instantMs(scheduledAt);
    if (Number.isNaN(epochMs)) throw invalidDateTime(scheduledAt, 'not an ISO 8601 date-time');
    return { kind: 'instant', value: scheduledAt, epochMs, timeZone };
  }
  if (timeZone === undefined) {
    throw new DomainError(
      'validation',
      `scheduledAt "${scheduledAt}" has no offset; send timeZone with a local date-time, or an offset such as Z.`,
      {
        code: 'time_zone_required',
        fields: [
          { path: 'body.timeZone', message: 'required when scheduledAt has no offset', code: 'time_zone_required' },
        ],
      },
    );
  }
  wallClockAsUtc(scheduledAt);
  return { kind: 'local', value: scheduledAt, timeZone };
}

/**
 * The UTC instant of a parsed schedule. With both an offset and a zone, the offset must be the zone's at
 * that instant, so a client that computed the offset wrongly hears about it instead of publishing an hour off.
 */
export function resolveScheduleTime(time: ScheduleTime): ZonedInstant {
  if (time.kind === 'local') return localToInstant(time.value, time.timeZone);
  assertInstantInRange(time.epochMs, 'body.scheduledAt', 'invalid_date_time');
  if (time.timeZone !== undefined) assertOffsetMatches(time.value, time.epochMs, time.timeZone);
  return { instant: new Date(time.epochMs), ambiguous: false };
}

function assertOffsetMatches(scheduledAt: string, epochMs: number, timeZone: string): void {
  const zoneOffset = zoneOffsetMs(timeZone, epochMs);
  const offset = /Z$/i.test(scheduledAt) ? 0 : offsetOf(scheduledAt);
  if (offset === zoneOffset) return;
  throw new DomainError(
    'rule_violation',
    `scheduledAt "${scheduledAt}" has offset ${formatOffset(offset)}, but ${timeZone} is at ${formatOffset(zoneOffset)} then.`,
    {
      code: 'time_zone_offset_mismatch',
      fields: [
        { path: 'body.scheduledAt', message: `offset does not match ${timeZone}`, code: 'time_zone_offset_mismatch' },
      ],
    },
  );
}

function offsetOf(value: string): number {
  const [, sign, hours, minutes] = /([+-])(\d{2}):?(\d{2})$/.exec(value) ?? [];
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes)) * 60_000;
}

function formatOffset(ms: number): string {
  const minutes = Math.abs(ms) / 60_000;
  return `${ms < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
