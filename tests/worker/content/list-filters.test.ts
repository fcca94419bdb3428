import { beforeAll, describe, expect, it } from 'vitest';
import type { Content } from '../../../src/db/schema/index.ts';
import { authHeaders, call, ORG_ID, readProblem, useHarness } from '../harness.ts';
import { insertContent, uniquePlatform, type ContentBody } from './fixtures.ts';

const { db, insertUser } = useHarness();

const day = 86_400_000;
const base = Date.parse('2026-03-10T12:00:00.000Z');
const at = (days: number) => new Date(base + days * day);

async function list(query: string, org: 'demo' | 'globex' = 'demo'): Promise<Response> {
  return call(`/api/v1/content?${query}`, { headers: await authHeaders('viewer', org) });
}

async function ids(query: string): Promise<string[]> {
  const res = await list(query);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: ContentBody[] }).data.map((item) => item.id);
}

describe('GET /api/v1/content: compliance and last-changed filters', () => {
  const platform = uniquePlatform();
  const rows: Record<string, Content> = {};

  beforeAll(async () => {
    const creatorId = (await insertUser(ORG_ID.demo, 'editor')).id;
    const make = async (name: string, values: Partial<Content>) => {
      rows[name] = await insertContent(db, { creatorId, platforms: [platform], ...values });
    };
    await make('old', { complianceStatus: 'approved', updatedAt: at(-10), createdAt: at(-20) });
    await make('flagged', { complianceStatus: 'flagged', updatedAt: at(-2), createdAt: at(-19) });
    await make('recent', { complianceStatus: 'pending', updatedAt: at(0), createdAt: at(-18) });
    await make('archivedFlagged', {
      status: 'archived',
      complianceStatus: 'flagged',
      updatedAt: at(-2),
      createdAt: at(-17),
    });
  });

  it('filters by compliance status, archived items still only with status=archived', async () => {
    expect(await ids(`platform=${platform}&compliance=flagged`)).toEqual([rows.flagged!.id]);
    expect(await ids(`platform=${platform}&compliance=flagged&status=archived`)).toEqual([rows.archivedFlagged!.id]);
    expect(await ids(`platform=${platform}&compliance=rejected`)).toEqual([]);
  });

  it('filters by a last-changed range, both ends inclusive', async () => {
    const range = (from: Date, to: Date) =>
      ids(`platform=${platform}&updatedFrom=${from.toISOString()}&updatedTo=${to.toISOString()}&order=asc`);
    expect(await range(at(-2), at(0))).toEqual([rows.flagged!.id, rows.recent!.id]);
    expect(await range(at(-10), at(-10))).toEqual([rows.old!.id]);
    expect(await ids(`platform=${platform}&updatedFrom=${at(-1).toISOString()}`)).toEqual([rows.recent!.id]);
    expect(await ids(`platform=${platform}&updatedTo=${at(-3).toISOString()}`)).toEqual([rows.old!.id]);
  });

  it('takes an offset and combines with the other filters', async () => {
    const from = encodeURIComponent('2026-03-08T13:00:00+01:00'); // = at(-2), written in another zone
    expect(await ids(`platform=${platform}&updatedFrom=${from}&compliance=pending`)).toEqual([rows.recent!.id]);
  });

  it('shows only the caller\u2019s organization', async () => {
    const res = await list(`platform=${platform}&compliance=flagged`, 'globex');
    expect(await res.json()).toMatchObject({ data: [], total: 0 });
  });

  it('400 when updatedFrom is after updatedTo, naming updatedTo', async () => {
    const res = await list(`updatedFrom=${at(0).toISOString()}&updatedTo=${at(-1).toISOString()}`);
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain('query.updatedTo');
  });

  const bad: [string, string][] = [
    ['compliance=ok', 'query.compliance'],
    ['updatedFrom=yesterday', 'query.updatedFrom'],
    ['updatedTo=2026-13-01T00:00:00Z', 'query.updatedTo'],
    ['updatedFrom=2026-03-01', 'query.updatedFrom'],
    ['updatedTo=10000-01-01T00:00:00Z', 'query.updatedTo'],
    ['updatedfrom=2026-03-01T00:00:00Z', 'query.updatedfrom'],
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
