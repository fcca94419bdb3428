import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { uniquePlatform } from '../content/fixtures.ts';
import { itemWithHistory } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { useUser } = useHarness();
const owner = useUser(ORG_ID.demo, 'editor');

interface Diff {
  from: number;
  to: number;
  changes: Array<{
    field: string;
    before: unknown;
    after: unknown;
    lines?: Array<{ op: string; text: string }>;
    linesTruncated?: boolean;
  }>;
}

const diff = (id: string, a: number | string, b: number | string, headers: Record<string, string>) =>
  call(`/api/v1/content/${id}/versions/${a}/diff/${b}`, { headers });
const readDiff = async (res: Response) => {
  expect(res.status).toBe(200);
  return (await res.json()) as Diff;
};

describe('GET /api/v1/content/{id}/versions/{a}/diff/{b}', () => {
  it('reports changed fields only, and the body as a line diff (add, remove, change)', async () => {
    const id = await itemWithHistory(
      owner.headers,
      { title: 'Old title', body: 'intro\nkept line\nold line\nremoved line\noutro' },
      { title: 'New title', body: 'intro\nadded line\nkept line\nnew line\noutro' },
    );
    const result = await readDiff(await diff(id, 1, 2, await authHeaders('viewer')));
    expect(result.from).toBe(1);
    expect(result.to).toBe(2);
    const byField = Object.fromEntries(result.changes.map((c) => [c.field, c]));
    expect(byField.title).toEqual({ field: 'title', before: 'Old title', after: 'New title' });
    expect(byField.body).toEqual({
      field: 'body',
      before: 'intro\nkept line\nold line\nremoved line\noutro',
      after: 'intro\nadded line\nkept line\nnew line\noutro',
      linesTruncated: false,
      lines: [
        { op: 'equal', text: 'intro' },
        { op: 'add', text: 'added line' },
        { op: 'equal', text: 'kept line' },
        { op: 'remove', text: 'old line' },
        { op: 'remove', text: 'removed line' },
        { op: 'add', text: 'new line' },
        { op: 'equal', text: 'outro' },
      ],
    });
    const fields = result.changes.map((c) => c.field);
    for (const unchanged of [
      'type',
      'platforms',
      'status',
      'complianceStatus',
      'creatorId',
      'scheduledAt',
      'publishedVersion',
      'version',
      'qualityBreakdown',
    ])
      expect(fields).not.toContain(unchanged);
    expect(fields.slice(0, 2)).toEqual(['title', 'body']);
  });

  it('runs backwards when a > b', async () => {
    const id = await itemWithHistory(owner.headers, { body: 'a\nb' }, { body: 'a\nc' });
    const result = await readDiff(await diff(id, 2, 1, owner.headers));
    expect(result).toMatchObject({ from: 2, to: 1 });
    expect(result.changes.find((c) => c.field === 'body')!.lines).toEqual([
      { op: 'equal', text: 'a' },
      { op: 'remove', text: 'c' },
      { op: 'add', text: 'b' },
    ]);
  });

  it('a non-text field on its own: platforms and type, no body entry', async () => {
    const platform = uniquePlatform();
    const id = await itemWithHistory(owner.headers, { body: 'same' }, { platforms: [platform], type: 'custom' });
    const result = await readDiff(await diff(id, 1, 2, owner.headers));
    expect(result.changes).toContainEqual({ field: 'platforms', before: expect.any(Array), after: [platform] });
    expect(result.changes).toContainEqual({ field: 'type', before: 'education', after: 'custom' });
    expect(result.changes.map((c) => c.field)).not.toContain('body');
  });

  it('the same version twice has no changes', async () => {
    const id = await itemWithHistory(owner.headers, {}, { title: 'changed' });
    expect(await readDiff(await diff(id, 2, 2, owner.headers))).toEqual({ from: 2, to: 2, changes: [] });
  });

  it('404 when either version is unknown; 400 for a malformed one', async () => {
    const id = await itemWithHistory(owner.headers, {});
    for (const [a, b] of [
      [1, 9],
      [9, 1],
      [9, 9],
    ] as const) {
      const res = await diff(id, a, b, owner.headers);
      expect(res.status, `${a}→${b}`).toBe(404);
      expect((await readProblem(res)).detail).toContain('version 9');
    }
    const bad = await diff(id, 1, 'x', owner.headers);
    expect(bad.status).toBe(400);
    expect((await readProblem(bad)).errors.map((e) => e.path)).toContain('path.b');
  });

  it('404 for another organization\u2019s item; 401 without credentials', async () => {
    const id = await itemWithHistory(owner.headers, {}, { title: 'x' });
    expect((await diff(id, 1, 2, await authHeaders('editor', 'globex'))).status).toBe(404);
    expect((await diff(id, 1, 2, {})).status).toBe(401);
  });
});
