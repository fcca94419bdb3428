import { describe, expect, it } from 'vitest';
import { userRoles } from '../../../src/db/schema/index.ts';
import { rollupEngagement } from '../../../src/services/analytics/rollup-engagement.ts';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { daysAgo, insertDaily, insertItem, today } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, ctx } = useHarness();

const demoItem = (values = {}) => insertItem(db, { organizationId: ORG_ID.demo, creatorId: userId('editor') }, values);
const stats = async (
  id: string,
  query = '',
  role: Parameters<typeof authHeaders>[0] = 'viewer',
  org: Parameters<typeof authHeaders>[1] = 'demo',
) => call(`/api/v1/content/${id}/stats${query}`, { headers: await authHeaders(role, org) });

interface StatsBody {
  contentId: string;
  from: string;
  to: string;
  engagementStats: Record<string, unknown> | null;
  series: Array<{ day: string; platform: string; views: number; clicks: number; shares: number; likes: number }>;
}

const row = (day: string, platform: string, views = 0, clicks = 0, shares = 0, likes = 0) => ({
  day,
  platform,
  views,
  clicks,
  shares,
  likes,
});

describe('GET /api/v1/content/{id}/stats', () => {
  it('returns the rolled-up stats and the daily series of the window, ordered by day then platform', async () => {
    const item = await demoItem();
    await insertDaily(db, item, [
      row(daysAgo(40), 'web', 5),
      row(daysAgo(2), 'web', 3, 1),
      row(daysAgo(2), 'app', 2, 0, 0, 4),
      row(daysAgo(1), 'web', 1, 0, 2),
    ]);

    // Before any rollup the series is already there; the rolled-up stats are not.
    const before = (await (await stats(item.id)).json()) as StatsBody;
    expect(before).toEqual({
      contentId: item.id,
      from: daysAgo(29),
      to: today(),
      engagementStats: null,
      series: [row(daysAgo(2), 'app', 2, 0, 0, 4), row(daysAgo(2), 'web', 3, 1), row(daysAgo(1), 'web', 1, 0, 2)],
    });

    await rollupEngagement({ ctx, input: { organizationId: ORG_ID.demo } });
    const res = await stats(item.id, `?from=${daysAgo(45)}&to=${daysAgo(2)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    const body = (await res.json()) as StatsBody;
    expect(body.series).toEqual([
      row(daysAgo(40), 'web', 5),
      row(daysAgo(2), 'app', 2, 0, 0, 4),
      row(daysAgo(2), 'web', 3, 1),
    ]);
    expect(body.engagementStats).toMatchObject({
      totals: { views: 11, clicks: 1, shares: 2, likes: 4 },
      last7Days: { views: 6, clicks: 1, shares: 2, likes: 4 },
      last30Days: { views: 6, clicks: 1, shares: 2, likes: 4 },
      byPlatform: {
        web: { views: 9, clicks: 1, shares: 2, likes: 0 },
        app: { views: 2, clicks: 0, shares: 0, likes: 4 },
      },
      rolledUpDay: today(),
    });

    const web = (await (await stats(item.id, `?platform=web&from=${daysAgo(2)}`)).json()) as StatsBody;
    expect(web).toMatchObject({
      from: daysAgo(2),
      to: today(),
      series: [row(daysAgo(2), 'web', 3, 1), row(daysAgo(1), 'web', 1, 0, 2)],
    });
  });

  it('keeps the history of archived and unpublished items', async () => {
    for (const values of [{ status: 'archived', publishedVersion: null }, { published: false }]) {
      const item = await demoItem(values);
      await insertDaily(db, item, [row(daysAgo(3), 'web', 7)]);
      const res = await stats(item.id);
      expect(res.status).toBe(200);
      expect(((await res.json()) as StatsBody).series).toEqual([row(daysAgo(3), 'web', 7)]);
    }
  });

  it('answers 400 for malformed dates, ids and unknown parameters, 422 for a window backwards or over 366 days', async () => {
    const item = await demoItem();
    for (const [query, path] of [
      ['?from=2026-02-30', 'query.from'],
      ['?to=yesterday', 'query.to'],
      ['?from=2026-1-01', 'query.from'],
      ['?platform=Not%20A%20Slug', 'query.platform'],
      ['?limit=5', 'query.limit'],
    ] as const) {
      const res = await stats(item.id, query);
      expect(res.status, query).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        query,
      ).toEqual([path]);
    }
    const malformed = await call('/api/v1/content/not-a-uuid/stats', { headers: await authHeaders('viewer') });
    expect(malformed.status).toBe(400);

    const backwards = await stats(item.id, '?from=2026-03-02&to=2026-03-01');
    expect(backwards.status).toBe(422);
    expect(await readProblem(backwards)).toMatchObject({
      code: 'invalid_time_range',
      errors: [{ path: 'query.from', code: 'invalid_time_range' }],
    });
    const tooLong = await stats(item.id, '?from=2025-01-01&to=2026-01-02');
    expect(tooLong.status).toBe(422);
    expect((await readProblem(tooLong)).code).toBe('time_range_too_long');
    // 366 days, a leap year's worth, is the most allowed.
    expect((await stats(item.id, '?from=2024-01-01&to=2024-12-31')).status).toBe(200);
  });

  it('400 naming the field for a day in year 0000; the first and last days of years 0001–9999 are accepted', async () => {
    const item = await demoItem();
    for (const [query, path] of [
      ['?from=0000-12-31&to=0001-01-05', 'query.from'],
      ['?to=0000-01-01', 'query.to'],
    ] as const) {
      const res = await stats(item.id, query);
      expect(res.status, query).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        query,
      ).toEqual([path]);
    }
    for (const [query, window] of [
      ['?to=0001-01-05', { from: '0001-01-01', to: '0001-01-05' }],
      ['?from=9999-12-01&to=9999-12-31', { from: '9999-12-01', to: '9999-12-31' }],
    ] as const) {
      const res = await stats(item.id, query);
      expect(res.status, query).toBe(200);
      expect(await res.json(), query).toMatchObject({ ...window, series: [] });
    }
  });

  it("404 for another organization's item, exactly like an unknown id", async () => {
    const item = await demoItem();
    await insertDaily(db, item, [row(daysAgo(1), 'web', 1)]);
    const foreign = await stats(item.id, '', 'org_admin', 'globex');
    const unknown = await stats(crypto.randomUUID(), '', 'org_admin', 'globex');
    expect(foreign.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [await readProblem(foreign), await readProblem(unknown)];
    expect({ ...a, requestId: '', instance: '' }).toEqual({ ...b, requestId: '', instance: '' });
  });

  it('is readable by every role (content.read), and 401 without credentials', async () => {
    const item = await demoItem();
    expect((await call(`/api/v1/content/${item.id}/stats`)).status).toBe(401);
    for (const role of userRoles) expect((await stats(item.id, '', role)).status, role).toBe(200);
  });
});
