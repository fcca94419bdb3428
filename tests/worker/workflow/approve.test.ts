import { describe, expect, it } from 'vitest';
import { authHeaders, userId } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { eq } from 'drizzle-orm';
import { content } from '../../../src/db/schema/index.ts';
import { createKey, keyHeaders } from '../api-keys/fixtures.ts';
import { act, putCompliance, putContent, readContent, trail, workflowItem } from './fixtures.ts';
import { ORG_ID, useHarness, type Headers } from '../harness.ts';

const { db, auditRows, insertUser } = useHarness();

describe('POST /api/v1/content/{id}/approve: four eyes', () => {
  for (const role of ['approver', 'org_admin', 'super_admin'] as const) {
    it(`a ${role} may not approve content it created (403 cannot_approve_own); nothing changes`, async () => {
      const item = await workflowItem(db, { status: 'pending_approval', creatorId: userId(role) });
      const res = await act(
        item.id,
        'approve',
        await authHeaders(role),
        { comment: 'Looks fine to me.' },
        { 'if-match': '"1"' },
      );
      expect(res.status).toBe(403);
      const problem = await readProblem(res);
      expect(problem.code).toBe('cannot_approve_own');
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    });
  }

  it('another approver may; the audit row names the approver and the comment', async () => {
    const second = await insertUser(ORG_ID.demo, 'approver');
    const item = await workflowItem(db, { status: 'pending_approval', creatorId: userId('approver') });
    const res = await act(
      item.id,
      'approve',
      second.headers,
      { comment: 'Second pair of eyes.' },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(200);
    const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.approve' });
    expect(audit).toMatchObject({ actorId: second.id });
    expect(audit!.changes.after).toMatchObject({
      status: 'approved',
      comment: 'Second pair of eyes.',
      transition: { from: 'pending_approval', to: 'approved' },
    });
  });

  it('the creator may still reject (withdraw) its own submission', async () => {
    const item = await workflowItem(db, { status: 'pending_approval', creatorId: userId('approver') });
    const res = await act(item.id, 'reject', await authHeaders('approver'), {
      comment: 'Withdrawing: figures changed.',
    });
    expect(res.status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'draft', version: 2 });
  });
});

describe('POST /api/v1/content/{id}/approve: If-Match is required', () => {
  it('428 precondition_required without If-Match or with `*`; nothing changes', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    for (const extra of [{}, { 'if-match': '*' }] as Record<string, string>[]) {
      const res = await act(item.id, 'approve', await authHeaders('approver'), undefined, extra);
      expect(res.status, JSON.stringify(extra)).toBe(428);
      expect((await readProblem(res)).code).toBe('precondition_required');
    }
    expect(await readContent(db, item.id)).toEqual(item);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('412 when an edit and a resubmission landed between the approver\u2019s read and the approval; nothing changes', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    const read = `"${item.version}"`;
    expect((await putContent(item.id, await authHeaders('org_admin'), { body: 'Rewritten.' })).status).toBe(200);
    expect((await act(item.id, 'submit', await authHeaders('org_admin'))).status).toBe(200);
    const before = await readContent(db, item.id);
    const res = await act(item.id, 'approve', await authHeaders('approver'), undefined, { 'if-match': read });
    expect(res.status).toBe(412);
    expect((await readProblem(res)).code).toBe('precondition_failed');
    expect(await readContent(db, item.id)).toEqual(before);
  });
});

describe('four eyes for everyone who wrote the text since its last approval', () => {
  /** An edit by `headers`, given a passing score (the scorer is not the subject), reviewed and resubmitted. */
  async function editAndResubmit(id: string, author: Headers, reviewer: Headers): Promise<number> {
    const edit = await putContent(id, author, { body: `Rewritten ${crypto.randomUUID()}` });
    expect(edit.status, await edit.clone().text()).toBe(200);
    await db.update(content).set({ qualityScore: 8 }).where(eq(content.id, id));
    const { version } = (await edit.json()) as { version: number };
    const review = await putCompliance(id, reviewer, { status: 'approved' }, { 'if-match': `"${version}"` });
    expect(review.status, await review.clone().text()).toBe(200);
    expect((await act(id, 'submit', author)).status).toBe(200);
    return version + 2;
  }

  const approve = async (id: string, headers: Headers, version: number) =>
    act(id, 'approve', headers, undefined, { 'if-match': `"${version}"` });

  it('an org_admin who rewrote an editor\u2019s submission may not approve it (403); an approver who wrote nothing may', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    const [orgAdmin, approver] = [await authHeaders('org_admin'), await authHeaders('approver')];
    const submitted = await editAndResubmit(item.id, orgAdmin, approver);

    const before = await readContent(db, item.id);
    const denied = await approve(item.id, orgAdmin, submitted);
    expect(denied.status).toBe(403);
    const problem = await readProblem(denied);
    expect(problem.code).toBe('cannot_approve_own');
    expect(problem.detail).toContain('version 2');
    expect(await readContent(db, item.id)).toEqual(before);
    expect(await trail(db, item.id)).toEqual({ versions: 3, audit: 3, events: 3 });

    const approved = await approve(item.id, approver, submitted);
    expect(approved.status, await approved.clone().text()).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'approved', version: submitted + 1 });
  });

  it('only what was written since the last approval counts: an earlier author may approve a later revision', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    const [orgAdmin, superAdmin, approver] = [
      await authHeaders('org_admin'),
      await authHeaders('super_admin'),
      await authHeaders('approver'),
    ];
    const first = await editAndResubmit(item.id, orgAdmin, approver);
    expect((await approve(item.id, approver, first)).status).toBe(200);

    // The org_admin's edit was signed off by the approver; the super_admin's rewrite is unreviewed.
    const second = await editAndResubmit(item.id, superAdmin, orgAdmin);
    const denied = await approve(item.id, superAdmin, second);
    expect(denied.status).toBe(403);
    expect((await readProblem(denied)).code).toBe('cannot_approve_own');
    expect((await approve(item.id, orgAdmin, second)).status).toBe(200);
  });

  it('a version written through an API key is its creator\u2019s: the key\u2019s creator may not approve it', async () => {
    const key = await createKey({ role: 'editor' });
    const item = await workflowItem(db, { status: 'pending_approval' });
    const submitted = await editAndResubmit(item.id, keyHeaders(key.secret), await authHeaders('approver'));
    const denied = await approve(item.id, await authHeaders('org_admin'), submitted);
    expect(denied.status).toBe(403);
    expect((await readProblem(denied)).code).toBe('cannot_approve_own');
    expect((await approve(item.id, await authHeaders('approver'), submitted)).status).toBe(200);
  });
});

describe('POST /api/v1/content/{id}/reject', () => {
  it('400 without a comment (no body, empty body, blank comment); nothing changes', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    const headers = await authHeaders('approver');
    for (const body of [undefined, {}, { comment: '' }, { comment: ' \n ' }]) {
      const res = await act(item.id, 'reject', headers, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (body !== undefined) expect((await readProblem(res)).errors.map((e) => e.path)).toEqual(['body.comment']);
    }
    expect(await readContent(db, item.id)).toEqual(item);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('stores the trimmed comment as the version message and in the audit row', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    const res = await act(item.id, 'reject', await authHeaders('org_admin'), { comment: '  Needs a chart.  ' });
    expect(res.status).toBe(200);
    const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.reject' });
    expect(audit!.changes.after).toMatchObject({ comment: 'Needs a chart.', status: 'draft' });
  });
});

describe('POST /api/v1/content/{id}/submit: the edit rule', () => {
  it('an approver submits its own draft but not someone else\u2019s (403 not_content_owner)', async () => {
    const own = await workflowItem(db, { status: 'draft', creatorId: userId('approver') });
    expect((await act(own.id, 'submit', await authHeaders('approver'))).status).toBe(200);
    const others = await workflowItem(db, { status: 'draft' });
    const res = await act(others.id, 'submit', await authHeaders('approver'));
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('not_content_owner');
    expect(await readContent(db, others.id)).toEqual(others);
  });

  it('an editor submits anyone\u2019s draft', async () => {
    const item = await workflowItem(db, { status: 'draft', creatorId: userId('org_admin') });
    expect((await act(item.id, 'submit', await authHeaders('editor'))).status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({ status: 'pending_approval' });
  });
});
