import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { itemWithHistory, versionRow } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, useUser } = useHarness();
const owner = useUser(ORG_ID.demo, 'editor');

const get = (id: string, n: string | number, headers: Record<string, string>) =>
  call(`/api/v1/content/${id}/versions/${n}`, { headers });

describe('GET /api/v1/content/{id}/versions/{n}', () => {
  it('returns the full snapshot of that version with its metadata', async () => {
    const id = await itemWithHistory(
      owner.headers,
      { title: 'Original title', body: 'Original body' },
      { title: 'Edited title' },
    );
    const res = await get(id, 1, await authHeaders('viewer'));
    expect(res.status).toBe(200);
    const row = await versionRow(db, id, 1);
    expect(await res.json()).toEqual({
      contentId: id,
      version: 1,
      action: 'content.create',
      author: { type: 'user', id: owner.id },
      message: null,
      published: false,
      createdAt: row!.createdAt.toISOString(),
      snapshot: row!.snapshot,
    });
    expect(row!.snapshot).toMatchObject({
      title: 'Original title',
      body: 'Original body',
      status: 'draft',
      version: 1,
      creatorId: owner.id,
    });

    const second = (await (await get(id, 2, owner.headers)).json()) as {
      snapshot: Record<string, unknown>;
      action: string;
    };
    expect(second.action).toBe('content.update');
    expect(second.snapshot).toMatchObject({ title: 'Edited title', body: 'Original body', version: 2 });
  });

  it('404 version_not_found for a version that does not exist, naming it', async () => {
    const id = await itemWithHistory(owner.headers, {});
    const res = await get(id, 2, owner.headers);
    expect(res.status).toBe(404);
    const problem = await readProblem(res);
    expect(problem.code).toBe('version_not_found');
    expect(problem.detail).toContain('version 2');
    expect((await get(id, 2_147_483_647, owner.headers)).status).toBe(404);
  });

  it('400 for a version that is not a positive integer', async () => {
    const id = await itemWithHistory(owner.headers, {});
    for (const n of ['0', '-1', 'abc', '1.5', '2147483648']) {
      const res = await get(id, n, owner.headers);
      expect(res.status, n).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        n,
      ).toContain('path.n');
    }
  });

  it('404 for another organization\u2019s item, an unknown item; 401 without credentials', async () => {
    const id = await itemWithHistory(owner.headers, {});
    expect((await get(id, 1, await authHeaders('org_admin', 'globex'))).status).toBe(404);
    expect((await get(crypto.randomUUID(), 1, owner.headers)).status).toBe(404);
    expect((await get(id, 1, {})).status).toBe(401);
  });
});
