import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { act, putCompliance, putContent, readContent, trail, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();
const approved = () => workflowItem(db, { status: 'approved' });
const schedule = async (id: string, body: Record<string, unknown>, version = 1) =>
  act(id, 'schedule', await authHeaders('editor'), body, { 'if-match': `"${version}"` });

describe('POST /api/v1/content/{id}/schedule: time zones', () => {
  // 2027's changes: London 28 March / 31 October, New York 14 March / 7 November.
  const cases: [string, string, string][] = [
    ['Europe/London', '2027-03-27T09:00:00', '2027-03-27T09:00:00.000Z'],
    ['Europe/London', '2027-03-28T09:00:00', '2027-03-28T08:00:00.000Z'],
    ['Europe/London', '2027-10-30T09:00:00', '2027-10-30T08:00:00.000Z'],
    ['Europe/London', '2027-10-31T09:00:00', '2027-10-31T09:00:00.000Z'],
    ['America/New_York', '2027-03-13T09:00:00', '2027-03-13T14:00:00.000Z'],
    ['America/New_York', '2027-03-14T09:00:00', '2027-03-14T13:00:00.000Z'],
    ['America/New_York', '2027-11-06T09:00:00', '2027-11-06T13:00:00.000Z'],
    ['America/New_York', '2027-11-07T09:00:00', '2027-11-07T14:00:00.000Z'],
  ];
  for (const [timeZone, local, utc] of cases) {
    it(`${local} ${timeZone} is stored as ${utc}`, async () => {
      const item = await approved();
      const res = await schedule(item.id, { scheduledAt: local, timeZone });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await res.json()).toMatchObject({ scheduledAt: utc, status: 'approved', version: 2 });
      expect((await readContent(db, item.id))!.scheduledAt!.toISOString()).toBe(utc);
      const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.schedule' });
      expect(audit!.changes.after).toMatchObject({ scheduledAt: utc, requested: { scheduledAt: local, timeZone } });
    });
  }

  it('a fall-back time that happens twice means the earlier instant, and the audit row says it was ambiguous', async () => {
    for (const [timeZone, local, utc] of [
      ['Europe/London', '2027-10-31T01:30:00', '2027-10-31T00:30:00.000Z'],
      ['America/New_York', '2027-11-07T01:30:00', '2027-11-07T05:30:00.000Z'],
    ] as const) {
      const item = await approved();
      const res = await schedule(item.id, { scheduledAt: local, timeZone });
      expect(res.status).toBe(200);
      expect((await readContent(db, item.id))!.scheduledAt!.toISOString()).toBe(utc);
      const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.schedule' });
      expect(audit!.changes.after).toMatchObject({ requested: { ambiguousLocalTime: true } });
    }
  });

  it('422 nonexistent_local_time for a time the clocks skip; nothing changes', async () => {
    for (const [timeZone, local] of [
      ['Europe/London', '2027-03-28T01:30:00'],
      ['America/New_York', '2027-03-14T02:30:00'],
    ] as const) {
      const item = await approved();
      const res = await schedule(item.id, { scheduledAt: local, timeZone });
      expect(res.status).toBe(422);
      const problem = await readProblem(res);
      expect(problem.code).toBe('nonexistent_local_time');
      expect(problem.detail).toContain(timeZone);
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    }
  });

  it('422 schedule_in_past for a local time already gone (2026-03-29 in London) and for a past instant', async () => {
    const item = await approved();
    for (const body of [
      { scheduledAt: '2026-03-29T09:00:00', timeZone: 'Europe/London' },
      { scheduledAt: new Date(Date.now() - 1000).toISOString() },
    ]) {
      const res = await schedule(item.id, body);
      expect(res.status).toBe(422);
      expect((await readProblem(res)).code).toBe('schedule_in_past');
    }
    expect(await readContent(db, item.id)).toEqual(item);
  });

  it('400 for an unknown zone (named), a local time without zone, a malformed date-time, unknown fields', async () => {
    const item = await approved();
    const cases: [Record<string, unknown>, string][] = [
      [{ scheduledAt: '2030-12-01T09:00:00', timeZone: 'Europe/Londinium' }, 'body.timeZone'],
      [{ scheduledAt: '2030-12-01T09:00:00' }, 'body.timeZone'],
      [{ scheduledAt: '1 December 2030' }, 'body.scheduledAt'],
      [{ scheduledAt: '2030-02-30T09:00:00', timeZone: 'Europe/London' }, 'body.scheduledAt'],
      [{}, 'body.scheduledAt'],
      [{ scheduledAt: '2030-12-01T09:00:00Z', status: 'published' }, 'body.status'],
    ];
    for (const [body, path] of cases) {
      const res = await schedule(item.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await readProblem(res);
      expect(problem.errors.map((e) => e.path)).toContain(path);
      if (body.timeZone === 'Europe/Londinium') expect(problem.detail).toContain('Europe/Londinium');
    }
    expect(await readContent(db, item.id)).toEqual(item);
  });

  // PostgreSQL refuses year 0000, and a JavaScript year past 9999 reaches it as +010000-…: both were 500s.
  it('400 naming body.scheduledAt for an instant outside years 0001–9999 once converted to UTC, by offset or by zone', async () => {
    const item = await approved();
    const cases: [Record<string, unknown>, string][] = [
      [{ scheduledAt: '9999-12-31T23:59:59-14:00' }, 'validation_failed'],
      [{ scheduledAt: '9999-12-31T23:59:59.999-00:01' }, 'validation_failed'],
      [{ scheduledAt: '0000-06-01T00:00:00Z' }, 'validation_failed'],
      [{ scheduledAt: '9999-12-31T23:59:59', timeZone: 'Etc/GMT+12' }, 'invalid_date_time'],
      [{ scheduledAt: '9999-12-31T20:00:00', timeZone: 'America/Los_Angeles' }, 'invalid_date_time'],
    ];
    for (const [body, code] of cases) {
      const res = await schedule(item.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await readProblem(res);
      expect(problem.code, JSON.stringify(body)).toBe(code);
      expect(problem.errors.map((e) => e.path)).toEqual(['body.scheduledAt']);
    }
    expect(await readContent(db, item.id)).toEqual(item);
  });

  it('the last instant of year 9999 can be scheduled, by offset or as a local time; 0001-01-01 is merely in the past', async () => {
    for (const body of [
      { scheduledAt: '9999-12-31T23:59:59.999Z' },
      { scheduledAt: '9999-12-31T09:59:59.999-14:00' },
      { scheduledAt: '9999-12-31T23:59:59.999', timeZone: 'UTC' },
    ]) {
      const item = await approved();
      const res = await schedule(item.id, body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect((await readContent(db, item.id))!.scheduledAt!.toISOString()).toBe('9999-12-31T23:59:59.999Z');
    }
    const item = await approved();
    for (const body of [
      { scheduledAt: '0001-01-01T00:00:00Z' },
      { scheduledAt: '0001-01-01T00:00:00', timeZone: 'UTC' },
    ]) {
      const res = await schedule(item.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(res)).code).toBe('schedule_in_past');
    }
  });

  it('an offset with a zone must agree (422 time_zone_offset_mismatch); an instant alone is taken as is', async () => {
    const item = await approved();
    const mismatch = await schedule(item.id, { scheduledAt: '2030-07-01T09:00:00Z', timeZone: 'Europe/London' });
    expect(mismatch.status).toBe(422);
    expect((await readProblem(mismatch)).code).toBe('time_zone_offset_mismatch');
    const ok = await schedule(item.id, { scheduledAt: '2030-07-01T09:00:00+01:00', timeZone: 'Europe/London' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ scheduledAt: '2030-07-01T08:00:00.000Z' });
  });
});

describe('schedule, reschedule and unschedule', () => {
  it('scheduling again replaces the time and points scheduledVersion at the new write', async () => {
    const item = await approved();
    expect((await schedule(item.id, { scheduledAt: '2030-01-01T09:00:00Z' })).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ scheduledVersion: 2, version: 2 });
    expect((await schedule(item.id, { scheduledAt: '2030-02-01T09:00:00Z' }, 2)).status).toBe(200);
    const row = await readContent(db, item.id);
    expect(row).toMatchObject({ scheduledVersion: 3, version: 3, status: 'approved' });
    expect(row!.scheduledAt!.toISOString()).toBe('2030-02-01T09:00:00.000Z');
  });

  it('a compliance review keeps the schedule valid (scheduledVersion follows); an edit does not', async () => {
    const item = await approved();
    await schedule(item.id, { scheduledAt: '2030-01-01T09:00:00Z' });
    expect(
      (
        await putCompliance(
          item.id,
          await authHeaders('approver'),
          { status: 'approved', note: 'Re-checked.' },
          { 'if-match': '"2"' },
        )
      ).status,
    ).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ scheduledVersion: 3, version: 3 });
    expect((await putContent(item.id, await authHeaders('editor'), { title: 'Edited after scheduling' })).status).toBe(
      200,
    );
    expect(await readContent(db, item.id)).toMatchObject({ scheduledVersion: 3, version: 4, status: 'draft' });
  });

  it('unschedule clears the schedule and any recorded failure; without a schedule it is 409 not_scheduled', async () => {
    const item = await workflowItem(db, {
      status: 'approved',
      scheduledAt: new Date('2030-01-01T09:00:00Z'),
      scheduledVersion: 1,
      scheduleError: 'gate',
      scheduleFailedAt: new Date(),
    });
    const res = await act(item.id, 'unschedule', await authHeaders('approver'), {
      comment: 'Holding for the CPI print.',
    });
    expect(res.status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({
      status: 'approved',
      scheduledAt: null,
      scheduledVersion: null,
      scheduleError: null,
      scheduleFailedAt: null,
      version: 2,
    });
    const again = await act(item.id, 'unschedule', await authHeaders('approver'));
    expect(again.status).toBe(409);
    expect((await readProblem(again)).code).toBe('not_scheduled');
    expect(await trail(db, item.id)).toEqual({ versions: 1, audit: 1, events: 1 });
  });

  it('publishing clears the schedule', async () => {
    const item = await approved();
    await schedule(item.id, { scheduledAt: '2030-01-01T09:00:00Z' });
    expect((await act(item.id, 'publish', await authHeaders('editor'), undefined, { 'if-match': '"2"' })).status).toBe(
      200,
    );
    expect(await readContent(db, item.id)).toMatchObject({
      status: 'published',
      publishedVersion: 3,
      scheduledAt: null,
      scheduledVersion: null,
    });
  });
});
