import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content } from '../../../src/db/schema/index.ts';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { BAD_PAGINATION } from '../users/fixtures.ts';
import { itemWithHistory } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, useUser } = useHarness();
const owner = useUser(ORG_ID.demo, 'editor');

interface Summary {
  version: number;
  action: string;
  author: { type: string; id: string | null };
  message: string | null;
  published: boolean;
  createdAt: string;
  title: string | null;
  status: string | null;
}
interface Page {
  data: Summary[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

const list = (id: string, headers: Record<string, string>, query = '') =>
  call(`/api/v1/content/${id}/versions${query}`, { headers });

describe('GET /api/v1/content/{id}/versions', () => {
  it('lists every version newest first, with action, author, message, title and status but no snapshot', async () => {
    const id = await itemWithHistory(
      owner.headers,
      { title: 'First title' },
      { title: 'Second title' },
      { body: 'Third body' },
    );
    const res = await list(id, await authHeaders('viewer'));
    expect(res.status).toBe(200);
    const page = (await res.json()) as Page;
    expect(page).toMatchObject({ page: 1, limit: 20, total: 3, totalPages: 1 });
    expect(page.data.map((v) => [v.version, v.action, v.title, v.status])).toEqual([
      [3, 'content.update', 'Second title', 'draft'],
      [2, 'content.update', 'Second title', 'draft'],
      [1, 'content.create', 'First title', 'draft'],
    ]);
    for (const v of page.data) {
      expect(v).toEqual({
        version: v.version,
        action: v.action,
        author: { type: 'user', id: owner.id },
        message: null,
        published: false,
        createdAt: expect.any(String),
        title: v.title,
        status: 'draft',
      });
      expect(Date.parse(v.createdAt)).not.toBeNaN();
    }
  });

  it('marks the version readers see', async () => {
    const id = await itemWithHistory(owner.headers, { title: 'Live one' }, { title: 'Working copy' });
    await db.update(content).set({ publishedVersion: 1 }).where(eq(content.id, id));
    const page = (await (await list(id, owner.headers)).json()) as Page;
    expect(page.data.map((v) => [v.version, v.published])).toEqual([
      [2, false],
      [1, true],
    ]);
  });

  it('pages: limit and page, totalPages, and an empty page past the end', async () => {
    const id = await itemWithHistory(owner.headers, { title: 'v1' }, { title: 'v2' }, { title: 'v3' });
    const second = (await (await list(id, owner.headers, '?limit=2&page=2')).json()) as Page;
    expect(second).toMatchObject({ page: 2, limit: 2, total: 3, totalPages: 2 });
    expect(second.data.map((v) => v.version)).toEqual([1]);
    const past = (await (await list(id, owner.headers, '?limit=2&page=3')).json()) as Page;
    expect(past).toMatchObject({ data: [], total: 3, totalPages: 2 });
  });

  it('400 for bad pagination and unknown query parameters, naming them', async () => {
    const id = await itemWithHistory(owner.headers, {});
    for (const [query, path] of [
      ...BAD_PAGINATION.filter(([q]) => !q.startsWith('?q=')),
      ['?color=red', 'query.color'] as const,
    ]) {
      const res = await list(id, owner.headers, query);
      expect(res.status, query).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        query,
      ).toContain(path);
    }
  });

  it('404 for another organization\u2019s item and for an unknown id; 400 for a malformed id; 401 without credentials', async () => {
    const id = await itemWithHistory(owner.headers, {});
    const foreign = await list(id, await authHeaders('org_admin', 'globex'));
    expect(foreign.status).toBe(404);
    expect((await readProblem(foreign)).code).toBe('not_found');
    expect((await list(crypto.randomUUID(), owner.headers)).status).toBe(404);
    const malformed = await list('42', owner.headers);
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors.map((e) => e.path)).toContain('path.id');
    expect((await list(id, {})).status).toBe(401);
  });
});
