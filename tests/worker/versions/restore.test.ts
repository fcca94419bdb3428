import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content, outbox } from '../../../src/db/schema/index.ts';
import { authHeaders, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { readContent, uniquePlatform, type ContentBody } from '../content/fixtures.ts';
import { itemWithHistory, versionRows } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, auditRows, insertUser, useUser } = useHarness();
const owner = useUser(ORG_ID.demo, 'editor');

function restore(
  id: string,
  n: number | string,
  headers: Record<string, string>,
  body?: unknown,
  extra: Record<string, string> = {},
) {
  return call(`/api/v1/content/${id}/versions/${n}/restore`, {
    method: 'POST',
    headers: { ...headers, ...extra, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Without a content-type: the restore body is optional. */
const bare = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'content-type'));

const twoVersions = async () => {
  const platform = uniquePlatform();
  const id = await itemWithHistory(
    owner.headers,
    { type: 'education', title: 'The first wording', body: 'line one\nline two', platforms: [platform] },
    {
      type: 'custom',
      title: 'The second wording',
      body: 'line one\nline 2\nline three',
      platforms: [uniquePlatform()],
    },
  );
  return { id, platform };
};

describe('POST /api/v1/content/{id}/versions/{n}/restore', () => {
  it('writes version N+1 with the old text; history stays intact; audited and announced', async () => {
    const { id, platform } = await twoVersions();
    const historyBefore = await versionRows(db, id);
    const res = await restore(
      id,
      1,
      owner.headers,
      { message: '  Back to the approved wording ' },
      { 'if-match': '"2"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"3"');
    const item = (await res.json()) as ContentBody;
    expect(item).toMatchObject({
      id,
      type: 'education',
      title: 'The first wording',
      body: 'line one\nline two',
      platforms: [platform],
      status: 'draft',
      complianceStatus: 'pending',
      version: 3,
    });
    expect(await readContent(db, id)).toMatchObject({
      title: 'The first wording',
      body: 'line one\nline two',
      version: 3,
    });

    const history = await versionRows(db, id);
    expect(history.map((v) => [v.version, v.action])).toEqual([
      [1, 'content.create'],
      [2, 'content.update'],
      [3, 'content.version_restore'],
    ]);
    expect(history.slice(0, 2)).toEqual(historyBefore);
    expect(history[2]).toMatchObject({
      authorType: 'user',
      authorId: owner.id,
      message: 'restored from version 1: Back to the approved wording',
    });
    expect(history[2]!.snapshot).toMatchObject({
      title: 'The first wording',
      body: 'line one\nline two',
      type: 'education',
      version: 3,
    });

    const [audit, ...more] = await auditRows({ type: 'content', id: id, action: 'content.version_restore' });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ actorId: owner.id, requestId: res.headers.get('x-request-id') });
    expect(audit!.changes.after).toMatchObject({
      title: 'The first wording',
      version: 3,
      restoredFrom: 1,
      comment: 'restored from version 1: Back to the approved wording',
    });
    expect(audit!.changes.before).toMatchObject({ title: 'The second wording', version: 2 });

    const events = await db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, 'content.updated'), eq(outbox.organizationId, item.organizationId)));
    expect(events.filter((e) => e.payload.contentId === id).map((e) => e.payload.version)).toContain(3);
  });

  it('without a body the message is just "restored from version n"; restoring twice makes two new versions', async () => {
    const { id } = await twoVersions();
    const first = await restore(id, 1, bare(owner.headers));
    expect(first.status).toBe(200);
    const again = await restore(id, 2, bare(owner.headers));
    expect(((await again.json()) as ContentBody).title).toBe('The second wording');
    const history = await versionRows(db, id);
    expect(history.slice(2).map((v) => [v.version, v.message])).toEqual([
      [3, 'restored from version 1'],
      [4, 'restored from version 2'],
    ]);
  });

  it('sends reviewed work back to draft, resets compliance and re-scores; the published version stays live', async () => {
    const { id } = await twoVersions();
    await db
      .update(content)
      .set({
        status: 'published',
        complianceStatus: 'approved',
        complianceNote: 'fine',
        publishedVersion: 2,
        qualityScore: 9.9,
      })
      .where(eq(content.id, id));
    const res = await restore(id, 1, owner.headers, {});
    expect(res.status).toBe(200);
    const item = (await res.json()) as ContentBody & {
      publishedVersion: number | null;
      complianceNote: string | null;
      qualityBreakdown: { total: number };
    };
    expect(item).toMatchObject({
      status: 'draft',
      complianceStatus: 'pending',
      complianceNote: null,
      publishedVersion: 2,
    });
    expect(item.qualityScore).not.toBe(9.9);
    expect(item.qualityScore).toBe(item.qualityBreakdown.total);
  });

  it('412 when If-Match names another version; 409 for archived content; nothing changes', async () => {
    const { id } = await twoVersions();
    const stale = await restore(id, 1, owner.headers, {}, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect((await readProblem(stale)).code).toBe('precondition_failed');
    await db.update(content).set({ status: 'archived' }).where(eq(content.id, id));
    const archived = await restore(id, 1, owner.headers, {});
    expect(archived.status).toBe(409);
    expect((await readProblem(archived)).code).toBe('content_archived');
    expect(await readContent(db, id)).toMatchObject({ title: 'The second wording', version: 2 });
    expect(await versionRows(db, id)).toHaveLength(2);
  });

  it('404 for an unknown version and for another organization\u2019s item; nothing changes', async () => {
    const { id } = await twoVersions();
    const unknown = await restore(id, 7, owner.headers, {});
    expect(unknown.status).toBe(404);
    expect((await readProblem(unknown)).code).toBe('version_not_found');
    const before = await readContent(db, id);
    const foreign = await restore(id, 1, await authHeaders('org_admin', 'globex'), {});
    expect(foreign.status).toBe(404);
    expect((await readProblem(foreign)).code).toBe('not_found');
    expect(await readContent(db, id)).toEqual(before);
    expect(await versionRows(db, id)).toHaveLength(2);
    expect(await auditRows({ type: 'content', id: id, action: 'content.version_restore' })).toHaveLength(0);
  });

  describe('who may restore', () => {
    it('an editor restores anyone\u2019s content', async () => {
      const { id } = await twoVersions();
      const res = await restore(id, 1, await authHeaders('editor'), {});
      expect(res.status).toBe(200);
      expect((await auditRows({ type: 'content', id: id, action: 'content.version_restore' }))[0]).toMatchObject({
        actorId: userId('editor'),
      });
    });

    it('an approver restores its own content only', async () => {
      const approver = await insertUser(ORG_ID.demo, 'approver');
      // Approvers cannot create content; this one owns an item an editor wrote for it.
      const own = await twoVersions();
      await db.update(content).set({ creatorId: approver.id }).where(eq(content.id, own.id));
      expect((await restore(own.id, 1, approver.headers, {})).status).toBe(200);
      const others = await twoVersions();
      const denied = await restore(others.id, 1, approver.headers, {});
      expect(denied.status).toBe(403);
      expect((await readProblem(denied)).code).toBe('not_content_owner');
      expect(await versionRows(db, others.id)).toHaveLength(2);
    });

    it('403 for a viewer, 401 without credentials; nothing changes', async () => {
      const { id } = await twoVersions();
      const denied = await restore(id, 1, await authHeaders('viewer'), {});
      expect(denied.status).toBe(403);
      expect((await readProblem(denied)).code).toBe('forbidden');
      expect((await restore(id, 1, {}, {})).status).toBe(401);
      expect(await readContent(db, id)).toMatchObject({ title: 'The second wording', version: 2 });
    });
  });

  it('400 for unknown fields, a bad message or a malformed version; nothing changes', async () => {
    const { id } = await twoVersions();
    const cases: Array<[number | string, unknown, string]> = [
      [1, { message: 'ok', color: 'red' }, 'body.color'],
      [1, { message: '' }, 'body.message'],
      [1, { message: 'm'.repeat(501) }, 'body.message'],
      [1, { message: 42 }, 'body.message'],
      [1, { title: 'not here' }, 'body.title'],
      ['zero', {}, 'path.n'],
      [0, {}, 'path.n'],
    ];
    for (const [n, body, path] of cases) {
      const res = await restore(id, n, owner.headers, body);
      expect(res.status, path).toBe(400);
      expect(
        (await readProblem(res)).errors.map((e) => e.path),
        path,
      ).toContain(path);
    }
    expect(await versionRows(db, id)).toHaveLength(2);
  });

  it('an Idempotency-Key replays the first restore instead of restoring again', async () => {
    const { id } = await twoVersions();
    const key = crypto.randomUUID();
    const first = await restore(id, 1, owner.headers, { message: 'once' }, { 'idempotency-key': key });
    const replay = await restore(id, 1, owner.headers, { message: 'once' }, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual(await first.json());
    expect(await versionRows(db, id)).toHaveLength(3);
  });
});
