import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../../src/db/schema/index.ts';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { insertContent, uniquePlatform, type ContentBody } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, insertUser } = useHarness();

interface Page {
  data: ContentBody[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

const hour = 3_600_000;
const base = Date.now() - 100 * hour;
const at = (hours: number) => new Date(base + hours * hour);

async function list(
  query: string,
  role: 'viewer' | 'editor' = 'viewer',
  org: 'demo' | 'globex' = 'demo',
): Promise<Response> {
  return call(`/api/v1/content?${query}`, { headers: await authHeaders(role, org) });
}

async function page(query: string): Promise<Page> {
  const res = await list(query);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Page;
}

const ids = (p: Page) => p.data.map((item) => item.id);

describe('GET /api/v1/content', () => {
  // One platform for this file's rows: every query below filters by it, so other tests' rows never show.
  const platform = uniquePlatform();
  const rows: Record<string, Content> = {};
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    alice = (await insertUser(ORG_ID.demo, 'editor')).id;
    bob = (await insertUser(ORG_ID.demo, 'editor')).id;
    const make = (
      name: string,
      values: Omit<Parameters<typeof insertContent>[1], 'creatorId'> & { creatorId?: string },
    ) => insertContent(db, { creatorId: alice, platforms: [platform], ...values }).then((row) => (rows[name] = row));
    await make('draftA', {
      title: 'Charlie',
      type: 'education',
      status: 'draft',
      createdAt: at(1),
      updatedAt: at(9),
      scheduledAt: at(200),
    });
    await make('draftB', {
      title: 'alpha',
      type: 'market_update',
      status: 'draft',
      createdAt: at(2),
      updatedAt: at(8),
      creatorId: bob,
      platforms: ['web', platform],
    });
    await make('published', {
      title: 'Bravo',
      type: 'market_update',
      status: 'published',
      createdAt: at(3),
      updatedAt: at(7),
      scheduledAt: at(100),
    });
    await make('pending', {
      title: 'Delta',
      type: 'news_analysis',
      status: 'pending_approval',
      createdAt: at(4),
      updatedAt: at(6),
      creatorId: bob,
    });
    await make('archived', { title: 'Echo', type: 'custom', status: 'archived', createdAt: at(5), updatedAt: at(5) });
    // Same created_at as `pending`: the tie is broken by id.
    await make('twin', { title: 'Foxtrot', type: 'education', status: 'approved', createdAt: at(4), updatedAt: at(4) });
  });

  it('pages the organization\u2019s items newest first, without archived ones, with totals', async () => {
    const p = await page(`platform=${platform}`);
    const [twinFirst, twinSecond] = [rows.pending!, rows.twin!].sort((a, b) => (a.id < b.id ? 1 : -1));
    expect(ids(p)).toEqual([twinFirst!.id, twinSecond!.id, rows.published!.id, rows.draftB!.id, rows.draftA!.id]);
    expect(p).toMatchObject({ page: 1, limit: 20, total: 5, totalPages: 1 });
    const item = p.data.find((d) => d.id === rows.published!.id)!;
    expect(item).toMatchObject({
      title: 'Bravo',
      status: 'published',
      platforms: [platform],
      version: 1,
      createdAt: at(3).toISOString(),
      scheduledAt: at(100).toISOString(),
    });
  });

  it('filters by status (archived only when asked), type and creator', async () => {
    expect(ids(await page(`platform=${platform}&status=draft&order=asc`))).toEqual([rows.draftA!.id, rows.draftB!.id]);
    expect(ids(await page(`platform=${platform}&status=archived`))).toEqual([rows.archived!.id]);
    expect(ids(await page(`platform=${platform}&type=market_update&order=asc`))).toEqual([
      rows.draftB!.id,
      rows.published!.id,
    ]);
    expect(ids(await page(`platform=${platform}&creator=${bob}&order=asc`))).toEqual([
      rows.draftB!.id,
      rows.pending!.id,
    ]);
    expect(ids(await page(`platform=${platform}&creator=${bob}&status=pending_approval&type=news_analysis`))).toEqual([
      rows.pending!.id,
    ]);
    expect((await page(`platform=${platform}&creator=${crypto.randomUUID()}`)).total).toBe(0);
  });

  it('matches a platform anywhere in an item\u2019s list', async () => {
    const p = await page(`platform=${platform}&status=draft&creator=${bob}`);
    expect(p.data[0]!.platforms).toEqual(['web', platform]);
  });

  it('sorts by title, updated_at and scheduled_at (unscheduled last) in either order', async () => {
    const titles = async (q: string) => (await page(`platform=${platform}&${q}`)).data.map((d) => d.title);
    // Case-insensitive, whatever the database collation: lower-case "alpha" sorts with the A's.
    expect(await titles('sort=title&order=asc')).toEqual(['alpha', 'Bravo', 'Charlie', 'Delta', 'Foxtrot']);
    expect(await titles('sort=title&order=desc')).toEqual(['Foxtrot', 'Delta', 'Charlie', 'Bravo', 'alpha']);
    expect(await titles('sort=updated_at&order=asc')).toEqual(['Foxtrot', 'Delta', 'Bravo', 'alpha', 'Charlie']);
    const scheduled = await titles('sort=scheduled_at&order=asc');
    expect(scheduled.slice(0, 2)).toEqual(['Bravo', 'Charlie']);
    expect((await titles('sort=scheduled_at&order=desc')).slice(0, 2)).toEqual(['Charlie', 'Bravo']);
  });

  it('pages are stable and disjoint, and a page past the end still reports the total', async () => {
    const all = ids(await page(`platform=${platform}&sort=created_at&order=asc`));
    const pages = [1, 2, 3].map((n) => page(`platform=${platform}&sort=created_at&order=asc&limit=2&page=${n}`));
    const [p1, p2, p3] = await Promise.all(pages);
    expect([...ids(p1!), ...ids(p2!), ...ids(p3!)]).toEqual(all);
    expect(p1).toMatchObject({ page: 1, limit: 2, total: 5, totalPages: 3 });
    expect(ids(p3!)).toHaveLength(1);
    const beyond = await page(`platform=${platform}&limit=2&page=9`);
    expect(beyond).toMatchObject({ data: [], page: 9, total: 5, totalPages: 3 });
  });

  it('shows only the caller\u2019s organization', async () => {
    const res = await list(`platform=${platform}`, 'viewer', 'globex');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ data: [], total: 0, totalPages: 0 });
  });

  it('401 without credentials', async () => {
    const res = await call('/api/v1/content');
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });

  const bad: [string, string][] = [
    ['page=0', 'query.page'],
    ['page=-1', 'query.page'],
    ['page=abc', 'query.page'],
    ['page=1.5', 'query.page'],
    ['limit=0', 'query.limit'],
    ['limit=101', 'query.limit'],
    ['limit=-1', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['status=deleted', 'query.status'],
    ['type=opinion', 'query.type'],
    ['platform=Not%20A%20Slug', 'query.platform'],
    ['creator=bob', 'query.creator'],
    ['sort=popularity', 'query.sort'],
    ['order=up', 'query.order'],
    ['stauts=draft', 'query.stauts'],
  ];
  for (const [query, path] of bad) {
    it(`400 for ${query}, naming ${path}`, async () => {
      const res = await list(query);
      expect(res.status).toBe(400);
      const problem = await readProblem(res);
      expect(problem.code).toBe('validation_failed');
      expect(problem.errors.map((e) => e.path)).toContain(path);
    });
  }
});
