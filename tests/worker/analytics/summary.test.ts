import { describe, expect, it } from 'vitest';
import { userRoles } from '../../../src/db/schema/index.ts';
import { authHeaders, ORG_ID, userId, type SeedOrg } from '../auth.ts';
import { uniquePlatform } from '../content/fixtures.ts';
import { call, readProblem } from '../helpers.ts';
import { insertDaily, insertDropped, insertItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db } = useHarness();

const itemOf = (org: SeedOrg, values = {}) =>
  insertItem(db, { organizationId: ORG_ID[org], creatorId: userId('editor', org) }, values);
const summary = async (query: string, role: Parameters<typeof authHeaders>[0] = 'viewer', org: SeedOrg = 'demo') =>
  call(`/api/v1/analytics/summary${query}`, { headers: await authHeaders(role, org) });

interface Counts {
  views: number;
  clicks: number;
  shares: number;
  likes: number;
}
interface SummaryBody {
  from: string;
  to: string;
  platform: string | null;
  top: Array<Counts & { id: string; title: string; byPlatform: Record<string, Counts> }>;
  platforms: Array<Counts & { platform: string }>;
  dropped: Record<string, number>;
}

const counts = (views = 0, clicks = 0, shares = 0, likes = 0): Counts => ({ views, clicks, shares, likes });

/**
 * Only the analytics tests write engagement, and each summary test reads a window of its own, years in
 * the past (no consumer test reaches them): what a window shows is exactly what the test arranged.
 */
async function arrange(year: number) {
  const day = (md: string) => `${year}-${md}`;
  const [a, b, c, archived] = [
    await itemOf('demo'),
    await itemOf('demo'),
    await itemOf('demo'),
    await itemOf('demo', { status: 'archived', publishedVersion: null }),
  ];
  const [p, q] = [uniquePlatform(), uniquePlatform()];
  await insertDaily(db, a, [
    { day: day('03-01'), platform: p, ...counts(10, 2) },
    { day: day('03-02'), platform: q, ...counts(5, 0, 1) },
  ]);
  await insertDaily(db, b, [{ day: day('03-05'), platform: p, ...counts(15, 0, 0, 3) }]);
  await insertDaily(db, c, [
    { day: day('03-03'), platform: q, ...counts(20) },
    // Outside the window read below.
    { day: day('05-01'), platform: q, ...counts(100) },
  ]);
  await insertDaily(db, archived, [{ day: day('03-04'), platform: q, ...counts(1) }]);
  await insertDropped(db, ORG_ID.demo, [
    { day: day('03-01'), reason: 'unknown_content', count: 4 },
    { day: day('03-02'), reason: 'unknown_content', count: 1 },
    { day: day('03-02'), reason: 'not_published', count: 2 },
    { day: day('06-01'), reason: 'not_published', count: 50 },
  ]);
  // Globex's engagement in the same window must never show in demo's summary.
  const globex = await itemOf('globex');
  await insertDaily(db, globex, [{ day: day('03-01'), platform: p, ...counts(999) }]);
  await insertDropped(db, ORG_ID.globex, [{ day: day('03-01'), reason: 'unknown_content', count: 999 }]);
  return { a, b, c, archived, globex, p, q, window: `from=${day('03-01')}&to=${day('03-31')}`, day };
}

describe('GET /api/v1/analytics/summary', () => {
  it('ranks the organization\u2019s items by views in the window, with totals per platform and dropped counts', async () => {
    const { a, b, c, archived, p, q, window, day } = await arrange(2001);
    const res = await summary(`?${window}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SummaryBody;
    expect(body).toEqual({
      from: day('03-01'),
      to: day('03-31'),
      platform: null,
      // c leads on 20 views; a and b tie on 15, the lower id first; the archived item keeps its history.
      top: [
        { id: c.id, title: c.title, ...counts(20), byPlatform: { [q]: counts(20) } },
        ...[
          { id: a.id, title: a.title, ...counts(15, 2, 1), byPlatform: { [p]: counts(10, 2), [q]: counts(5, 0, 1) } },
          { id: b.id, title: b.title, ...counts(15, 0, 0, 3), byPlatform: { [p]: counts(15, 0, 0, 3) } },
        ].sort((x, y) => (x.id < y.id ? -1 : 1)),
        { id: archived.id, title: archived.title, ...counts(1), byPlatform: { [q]: counts(1) } },
      ],
      platforms: [
        { platform: q, ...counts(26, 0, 1) },
        { platform: p, ...counts(25, 2, 0, 3) },
      ],
      dropped: { unknown_content: 5, not_published: 2 },
    });
  });

  it('filters by platform and limits the ranking', async () => {
    const { a, b, p, window } = await arrange(2002);
    const body = (await (await summary(`?${window}&platform=${p}`)).json()) as SummaryBody;
    expect(body.platform).toBe(p);
    expect(body.top.map((t) => [t.id, t.views, Object.keys(t.byPlatform)])).toEqual([
      [b.id, 15, [p]],
      [a.id, 10, [p]],
    ]);
    expect(body.platforms).toEqual([{ platform: p, ...counts(25, 2, 0, 3) }]);
    // Dropped events carry no trustworthy platform: the filter does not apply to them.
    expect(body.dropped).toEqual({ unknown_content: 5, not_published: 2 });

    const one = (await (await summary(`?${window}&limit=1`)).json()) as SummaryBody;
    expect(one.top).toHaveLength(1);
    expect(one.platforms).toHaveLength(2);
  });

  it('defaults to the last 30 days and answers an empty window with empty lists', async () => {
    const body = (await (await summary(`?platform=${uniquePlatform()}`)).json()) as SummaryBody;
    const today = new Date().toISOString().slice(0, 10);
    expect(body.to).toBe(today);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(29 * 86_400_000);
    expect(body.top).toEqual([]);
    expect(body.platforms).toEqual([]);
    const empty = (await (await summary('?from=1999-01-01&to=1999-12-31')).json()) as SummaryBody;
    expect(empty).toEqual({
      from: '1999-01-01',
      to: '1999-12-31',
      platform: null,
      top: [],
      platforms: [],
      dropped: { unknown_content: 0, not_published: 0 },
    });
  });

  it('shows each organization only its own engagement', async () => {
    const { globex, p, window } = await arrange(2003);
    const demo = (await (await summary(`?${window}&limit=100`)).json()) as SummaryBody;
    expect(demo.top.map((t) => t.id)).not.toContain(globex.id);
    const other = (await (await summary(`?${window}`, 'viewer', 'globex')).json()) as SummaryBody;
    expect(other).toMatchObject({
      top: [{ id: globex.id, views: 999 }],
      platforms: [{ platform: p, views: 999 }],
      dropped: { unknown_content: 999, not_published: 0 },
    });
    expect(other.top).toHaveLength(1);
  });

  it('answers 400 for malformed parameters and limits out of bounds, 422 for a window backwards or too long', async () => {
    for (const [query, path] of [
      ['?limit=0', 'query.limit'],
      ['?limit=101', 'query.limit'],
      ['?limit=ten', 'query.limit'],
      ['?from=01-03-2026', 'query.from'],
      ['?to=2026-13-01', 'query.to'],
      ['?platform=', 'query.platform'],
      ['?page=2', 'query.page'],
    ] as const) {
      const res = await summary(query);
      expect(res.status, query).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        query,
      ).toEqual([path]);
    }
    const backwards = await summary('?from=2026-03-02&to=2026-03-01');
    expect(backwards.status).toBe(422);
    expect((await readProblem(backwards)).code).toBe('invalid_time_range');
    const tooLong = await summary('?from=2020-01-01&to=2021-01-01');
    expect(tooLong.status).toBe(422);
    expect((await readProblem(tooLong)).code).toBe('time_range_too_long');
  });

  // PostgreSQL refuses year 0000 (a 500 before): a day outside years 0001–9999 is 400, and a default
  // window that would reach back into year 0000 starts at 0001-01-01 instead.
  it('400 naming the field for a day in year 0000; the first and last days of years 0001–9999 are accepted', async () => {
    for (const [query, path] of [
      ['?from=0000-12-31&to=0001-01-05', 'query.from'],
      ['?from=0001-01-01&to=0000-12-31', 'query.to'],
    ] as const) {
      const res = await summary(query);
      expect(res.status, query).toBe(400);
      const problem = await readProblem(res);
      expect(problem.code, query).toBe('validation_failed');
      expect(
        problem.errors.map((e) => e.path),
        query,
      ).toEqual([path]);
    }
    for (const [query, window] of [
      ['?to=0001-01-05', { from: '0001-01-01', to: '0001-01-05' }],
      ['?from=0001-01-01&to=0001-12-31', { from: '0001-01-01', to: '0001-12-31' }],
      ['?to=9999-12-31', { from: '9999-12-02', to: '9999-12-31' }],
      ['?from=9999-12-31&to=9999-12-31', { from: '9999-12-31', to: '9999-12-31' }],
    ] as const) {
      const res = await summary(query);
      expect(res.status, query).toBe(200);
      expect(await res.json(), query).toMatchObject({ ...window, top: [], platforms: [] });
    }
  });

  it('is readable by every role (content.read), and 401 without credentials', async () => {
    expect((await call('/api/v1/analytics/summary')).status).toBe(401);
    for (const role of userRoles) expect((await summary('', role)).status, role).toBe(200);
  });
});
