import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../../src/db/schema/index.ts';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { insertScheduled, instantIn, minutes } from './fixtures.ts';
import { useHarness, type Tenant } from '../harness.ts';

const { db, newTenant } = useHarness();

// Times in 2900: no cron tick of any test reaches them, so what is arranged here stays as arranged.
const at = instantIn(2900);
let org: Tenant;
const items: Record<'soon' | 'later' | 'edited' | 'failed' | 'published' | 'archived' | 'unscheduled', Content> =
  {} as never;

const shape = (item: Content) => ({
  id: item.id,
  title: item.title,
  status: item.status,
  scheduledAt: item.scheduledAt!.toISOString(),
  scheduledVersion: item.scheduledVersion,
  version: item.version,
  scheduleError: item.scheduleError,
  scheduleFailedAt: item.scheduleFailedAt?.toISOString() ?? null,
});

async function getSchedule(query: string, headers: Record<string, string>) {
  const res = await call(`/api/v1/schedule${query}`, { headers });
  return {
    res,
    body:
      res.status === 200
        ? ((await res.json()) as { upcoming: Array<{ id: string }>; failed: Array<{ id: string }> })
        : undefined,
  };
}

beforeAll(async () => {
  org = await newTenant();
  const schedule = (scheduledAt: Date, values: Partial<Content> = {}) =>
    insertScheduled(db, org.id, org.users.editor.id, { scheduledAt, ...values });
  items.later = await schedule(minutes(at, 120));
  items.soon = await schedule(minutes(at, 60));
  // Edited after scheduling: still on the schedule (it will fail when due, visibly), so it is listed.
  items.edited = await schedule(minutes(at, 180), { status: 'draft', version: 4 });
  items.failed = await schedule(minutes(at, -30), {
    version: 4,
    scheduleError: 'approval gate not met: compliance (compliance is pending, must be approved)',
    scheduleFailedAt: minutes(at, -29),
  });
  items.published = await schedule(minutes(at, 30), { status: 'published', publishedVersion: 3 });
  items.archived = await schedule(minutes(at, 30), { status: 'archived' });
  items.unscheduled = await schedule(at, { scheduledAt: null, scheduledVersion: null });
});

describe('GET /api/v1/schedule', () => {
  it('lists upcoming and failed items in due order, and nothing published, archived or unscheduled', async () => {
    const { res, body } = await getSchedule('', org.users.viewer.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(body).toEqual({
      upcoming: [items.soon, items.later, items.edited].map(shape),
      failed: [shape(items.failed)],
    });
  });

  it('narrows to a window of scheduledAt (both ends inclusive) and caps each list with limit', async () => {
    const headers = org.users.editor.headers;
    const window = await getSchedule(
      `?from=${items.soon.scheduledAt!.toISOString()}&to=${items.later.scheduledAt!.toISOString()}`,
      headers,
    );
    expect(window.body).toEqual({ upcoming: [shape(items.soon), shape(items.later)], failed: [] });
    const past = await getSchedule(`?to=${minutes(at, 0).toISOString()}`, headers);
    expect(past.body).toEqual({ upcoming: [], failed: [shape(items.failed)] });
    const limited = await getSchedule('?limit=1', headers);
    expect(limited.body).toEqual({ upcoming: [shape(items.soon)], failed: [shape(items.failed)] });
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['from=yesterday', 'query.from'],
    ['to=2030-01-01', 'query.to'],
    ['status=approved', 'query.status'],
  ])('400 for %s, naming %s', async (query, path) => {
    const res = await call(`/api/v1/schedule?${query}`, { headers: org.users.viewer.headers });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
  });

  // PostgreSQL refuses year 0000, and a JavaScript year past 9999 reaches it as +010000-…: both were 500s.
  it.each([
    ['from=0000-01-01T00:00:00Z', 'query.from', 'too_small'],
    ['from=0001-01-01T00:00:00%2B00:01', 'query.from', 'too_small'],
    ['from=9999-12-31T23:59:59-14:00', 'query.from', 'too_big'],
    ['to=0000-12-31T23:59:59.999Z', 'query.to', 'too_small'],
    ['to=9999-12-31T23:59:59-00:01', 'query.to', 'too_big'],
  ])('400 problem+json for %s, outside years 0001–9999 in UTC, naming %s', async (query, path, code) => {
    const res = await call(`/api/v1/schedule?${query}`, { headers: org.users.viewer.headers });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors).toEqual([expect.objectContaining({ path, code })]);
  });

  it('accepts the first and the last instant of years 0001–9999 as from and to', async () => {
    const { res, body } = await getSchedule(
      '?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z',
      org.users.viewer.headers,
    );
    expect(res.status).toBe(200);
    expect(body).toEqual({
      upcoming: [items.soon, items.later, items.edited].map(shape),
      failed: [shape(items.failed)],
    });
    const edges = await getSchedule(
      '?from=9999-12-31T23:59:59.999Z&to=9999-12-31T23:59:59.999Z',
      org.users.viewer.headers,
    );
    expect(edges.body).toEqual({ upcoming: [], failed: [] });
  });

  it('422 when from is after to', async () => {
    const res = await call(`/api/v1/schedule?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z`, {
      headers: org.users.viewer.headers,
    });
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe('invalid_time_range');
    expect(problem.errors.map((e) => e.path)).toEqual(['query.from']);
  });

  it('401 without credentials', async () => {
    const res = await call('/api/v1/schedule');
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });

  it("shows each organization only its own schedule: globex sees none of demo's, demo none of another's", async () => {
    const demoItem = await insertScheduled(db, ORG_ID.demo, userId('editor'), {
      scheduledAt: minutes(at, 90),
      platforms: [`t${crypto.randomUUID().slice(0, 8)}`],
    });
    const ids = (body: { upcoming: Array<{ id: string }>; failed: Array<{ id: string }> } | undefined) =>
      [...body!.upcoming, ...body!.failed].map((i) => i.id);
    const mine = Object.values(items).map((i) => i.id);

    for (const headers of [
      await authHeaders('org_admin', 'globex'),
      await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
    ]) {
      const globex = await getSchedule('?limit=100', headers);
      expect(globex.res.status).toBe(200);
      expect(ids(globex.body)).not.toContain(demoItem.id);
      expect(ids(globex.body).filter((id) => mine.includes(id))).toEqual([]);
    }
    const demo = await getSchedule(
      `?from=${demoItem.scheduledAt!.toISOString()}&to=${demoItem.scheduledAt!.toISOString()}`,
      await authHeaders('viewer', 'demo'),
    );
    expect(ids(demo.body)).toContain(demoItem.id);
    expect(ids(demo.body).filter((id) => mine.includes(id))).toEqual([]);
  });
});
