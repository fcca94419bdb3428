import { describe, expect, it } from 'vitest';
import { authHeaders, seededContentId, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { insertContent, readContent, type ContentBody } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();

async function del(
  id: string,
  role: 'editor' | 'viewer' | 'approver' | 'org_admin' = 'editor',
  extra: Record<string, string> = {},
  org: 'demo' | 'globex' = 'demo',
) {
  return call(`/api/v1/content/${id}`, { method: 'DELETE', headers: await authHeaders(role, org, extra) });
}

const draft = () => insertContent(db, { creatorId: userId('editor'), status: 'published' });

describe('DELETE /api/v1/content/{id}', () => {
  it('archives: 204, status archived, a new version and an audit row', async () => {
    const item = await draft();
    const res = await del(item.id, 'editor', { 'if-match': '"1"' });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
    expect(res.headers.get('etag')).toBe('"2"');
    expect(await readContent(db, item.id)).toMatchObject({ status: 'archived', version: 2, title: item.title });
    const audit = await auditRows({ type: 'content', id: item.id });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'content.archive',
      actorType: 'user',
      actorId: userId('editor'),
      requestId: res.headers.get('x-request-id'),
    });
    expect(audit[0]!.changes).toEqual({
      before: { status: 'published', version: 1 },
      after: { status: 'archived', version: 2 },
    });
  });

  it('is idempotent: archiving again is 204 with no new version and no audit row, even with a stale If-Match', async () => {
    const item = await draft();
    expect((await del(item.id)).status).toBe(204);
    for (const extra of [{}, { 'if-match': '"1"' }] as Record<string, string>[]) {
      const again = await del(item.id, 'org_admin', extra);
      expect(again.status).toBe(204);
      expect(again.headers.get('etag')).toBe('"2"');
    }
    expect((await readContent(db, item.id))!.version).toBe(2);
    expect(await auditRows({ type: 'content', id: item.id })).toHaveLength(1);
  });

  it('412 when If-Match names another version; nothing changes', async () => {
    const item = await draft();
    const res = await del(item.id, 'editor', { 'if-match': '"7"' });
    expect(res.status).toBe(412);
    expect((await readProblem(res)).code).toBe('precondition_failed');
    expect(await readContent(db, item.id)).toMatchObject({ status: 'published', version: 1 });
    expect(await auditRows({ type: 'content', id: item.id })).toHaveLength(0);
  });

  it('takes archived items out of the default list, keeps them readable, and refuses edits', async () => {
    const item = await draft();
    await del(item.id);
    const platform = item.platforms[0]!;
    const list = await call(`/api/v1/content?platform=${platform}`, { headers: await authHeaders('viewer') });
    expect(((await list.json()) as { total: number }).total).toBe(0);
    const get = await call(`/api/v1/content/${item.id}`, { headers: await authHeaders('viewer') });
    expect(((await get.json()) as ContentBody).status).toBe('archived');
    const put = await call(`/api/v1/content/${item.id}`, {
      method: 'PUT',
      headers: await authHeaders('editor', 'demo', { 'content-type': 'application/json' }),
      body: '{"title":"back"}',
    });
    expect(put.status).toBe(409);
  });

  it('401 without credentials; 403 for viewer and approver (no content.archive), even on their own content', async () => {
    const item = await insertContent(db, { creatorId: userId('approver') });
    expect((await call(`/api/v1/content/${item.id}`, { method: 'DELETE' })).status).toBe(401);
    for (const role of ['viewer', 'approver'] as const) {
      const res = await del(item.id, role);
      expect(res.status).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
    expect(await readContent(db, item.id)).toMatchObject({ status: 'draft', version: 1 });
  });

  it('404 for another organization\u2019s item, which stays unchanged; 404 unknown; 400 malformed', async () => {
    const id = seededContentId(0, 'demo');
    const before = await readContent(db, id);
    const res = await del(id, 'org_admin', {}, 'globex');
    expect(res.status).toBe(404);
    expect(await readContent(db, id)).toEqual(before);
    expect((await del(crypto.randomUUID())).status).toBe(404);
    expect((await del('nope')).status).toBe(400);
  });
});
