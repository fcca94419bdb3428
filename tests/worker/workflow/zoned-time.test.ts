import { describe, expect, it } from 'vitest';
import { DomainError } from '../../../src/lib/errors.ts';
import {
  isKnownTimeZone,
  localToInstant,
  parseScheduleTime,
  resolveScheduleTime,
} from '../../../src/services/workflow/zoned-time.ts';

/** The conversion itself, on the runtime's Intl data, for dates either side of 2026's changes (now past, so the API would refuse them). */
describe('local date-time in an IANA zone → UTC instant', () => {
  const cases: [string, string, string, boolean][] = [
    // Europe/London: BST from 2026-03-29 01:00 UTC to 2026-10-25 01:00 UTC.
    ['Europe/London', '2026-03-28T12:00:00', '2026-03-28T12:00:00.000Z', false],
    ['Europe/London', '2026-03-29T00:59:59', '2026-03-29T00:59:59.000Z', false],
    ['Europe/London', '2026-03-29T02:00:00', '2026-03-29T01:00:00.000Z', false],
    ['Europe/London', '2026-03-29T12:00:00', '2026-03-29T11:00:00.000Z', false],
    ['Europe/London', '2026-10-24T12:00:00', '2026-10-24T11:00:00.000Z', false],
    ['Europe/London', '2026-10-25T01:30:00', '2026-10-25T00:30:00.000Z', true],
    ['Europe/London', '2026-10-25T02:00:00', '2026-10-25T02:00:00.000Z', false],
    ['Europe/London', '2026-10-25T12:00:00', '2026-10-25T12:00:00.000Z', false],
    // America/New_York: EDT from 2026-03-08 07:00 UTC to 2026-11-01 06:00 UTC.
    ['America/New_York', '2026-03-07T12:00:00', '2026-03-07T17:00:00.000Z', false],
    ['America/New_York', '2026-03-08T01:59:00', '2026-03-08T06:59:00.000Z', false],
    ['America/New_York', '2026-03-08T03:00:00', '2026-03-08T07:00:00.000Z', false],
    ['America/New_York', '2026-03-08T12:00:00', '2026-03-08T16:00:00.000Z', false],
    ['America/New_York', '2026-10-31T12:00:00', '2026-10-31T16:00:00.000Z', false],
    ['America/New_York', '2026-11-01T01:30:00', '2026-11-01T05:30:00.000Z', true],
    ['America/New_York', '2026-11-01T12:00:00', '2026-11-01T17:00:00.000Z', false],
    // Half-hour offsets and a half-hour daylight shift, southern hemisphere.
    ['Asia/Kolkata', '2026-07-01T09:00:00', '2026-07-01T03:30:00.000Z', false],
    ['Australia/Lord_Howe', '2027-04-04T01:45:00', '2027-04-03T14:45:00.000Z', true],
    ['Australia/Sydney', '2027-04-04T02:30:00', '2027-04-03T15:30:00.000Z', true],
    ['UTC', '2026-12-01T09:00', '2026-12-01T09:00:00.000Z', false],
    ['Europe/London', '2026-12-01T09:00:00.250', '2026-12-01T09:00:00.250Z', false],
    // Years below 100 (Date.UTC would read them as 19xx) and the last instant of year 9999.
    ['UTC', '0050-06-01T12:00:00', '0050-06-01T12:00:00.000Z', false],
    ['UTC', '0001-01-01T00:00:00', '0001-01-01T00:00:00.000Z', false],
    ['Etc/GMT-14', '9999-12-31T23:59:59.999', '9999-12-31T09:59:59.999Z', false],
  ];
  for (const [zone, local, utc, ambiguous] of cases) {
    it(`${local} ${zone} → ${utc}${ambiguous ? ' (ambiguous: the earlier)' : ''}`, () => {
      const result = localToInstant(local, zone);
      expect(result.instant.toISOString()).toBe(utc);
      expect(result.ambiguous).toBe(ambiguous);
    });
  }

  const gaps: [string, string][] = [
    ['Europe/London', '2026-03-29T01:00:00'],
    ['Europe/London', '2026-03-29T01:30:00'],
    ['Europe/London', '2026-03-29T01:59:59'],
    ['America/New_York', '2026-03-08T02:30:00'],
    ['Australia/Lord_Howe', '2027-10-03T02:15:00'],
    ['Australia/Sydney', '2027-10-03T02:30:00'],
  ];
  for (const [zone, local] of gaps) {
    it(`${local} does not exist in ${zone}: 422 nonexistent_local_time`, () => {
      const error = catchError(() => localToInstant(local, zone));
      expect(error).toMatchObject({ kind: 'rule_violation', code: 'nonexistent_local_time' });
      expect(error.message).toContain(zone);
      expect(error.fields).toEqual([
        expect.objectContaining({ path: 'body.scheduledAt', code: 'nonexistent_local_time' }),
      ]);
    });
  }
});

describe('parseScheduleTime / resolveScheduleTime', () => {
  it('takes an instant with an offset as is', () => {
    expect(resolveScheduleTime(parseScheduleTime('2030-01-15T09:00:00+05:30', undefined)).instant.toISOString()).toBe(
      '2030-01-15T03:30:00.000Z',
    );
    expect(resolveScheduleTime(parseScheduleTime('2030-01-15T09:00:00Z', undefined)).instant.toISOString()).toBe(
      '2030-01-15T09:00:00.000Z',
    );
  });

  it('accepts an offset together with the zone when they agree, and 422 when they do not', () => {
    expect(
      resolveScheduleTime(parseScheduleTime('2030-07-01T09:00:00+01:00', 'Europe/London')).instant.toISOString(),
    ).toBe('2030-07-01T08:00:00.000Z');
    expect(resolveScheduleTime(parseScheduleTime('2030-01-01T09:00:00Z', 'Europe/London')).instant.toISOString()).toBe(
      '2030-01-01T09:00:00.000Z',
    );
    const error = catchError(() => resolveScheduleTime(parseScheduleTime('2030-07-01T09:00:00Z', 'Europe/London')));
    expect(error).toMatchObject({ kind: 'rule_violation', code: 'time_zone_offset_mismatch' });
    expect(error.message).toContain('+01:00');
  });

  it('400 for a local time without a zone, an unknown zone, and a date that does not exist', () => {
    expect(catchError(() => parseScheduleTime('2030-01-15T09:00:00', undefined))).toMatchObject({
      kind: 'validation',
      code: 'time_zone_required',
      fields: [expect.objectContaining({ path: 'body.timeZone' })],
    });
    const unknown = catchError(() => parseScheduleTime('2030-01-15T09:00:00', 'Mars/Olympus_Mons'));
    expect(unknown).toMatchObject({
      kind: 'validation',
      code: 'unknown_time_zone',
      fields: [expect.objectContaining({ path: 'body.timeZone' })],
    });
    expect(unknown.message).toContain('Mars/Olympus_Mons');
    for (const local of ['2030-02-29T09:00:00', '2030-04-31T09:00:00', '2030-01-15T24:00:00', '2030-01-15T09:60:00']) {
      expect(
        catchError(() => parseScheduleTime(local, 'Europe/London')),
        local,
      ).toMatchObject({ kind: 'validation', code: 'invalid_date_time' });
    }
  });

  it('400 invalid_date_time when the converted instant leaves years 0001–9999, by offset or by zone', () => {
    for (const [value, zone] of [
      ['9999-12-31T23:59:59-14:00', undefined],
      ['0001-01-01T00:00:00+00:01', undefined],
      ['9999-12-31T23:59:59', 'Etc/GMT+12'],
      ['0001-01-01T08:00:00', 'Etc/GMT-9'],
    ] as const) {
      expect(
        catchError(() => resolveScheduleTime(parseScheduleTime(value, zone))),
        `${value} ${zone}`,
      ).toMatchObject({
        kind: 'validation',
        code: 'invalid_date_time',
        fields: [expect.objectContaining({ path: 'body.scheduledAt' })],
      });
    }
  });

  it('knows the IANA zones the runtime knows', () => {
    expect(isKnownTimeZone('Europe/London')).toBe(true);
    expect(isKnownTimeZone('America/New_York')).toBe(true);
    expect(isKnownTimeZone('Europe/Londinium')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });
});

function catchError(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
  throw new Error('expected a DomainError');
}
