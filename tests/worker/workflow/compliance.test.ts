import { describe, expect, it } from 'vitest';
import { authHeaders, seededContentId, userId } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { eventsOf, putCompliance, putContent, readContent, trail, versionsOf, workflowItem } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, auditRows, insertUser } = useHarness();
const pending = () => workflowItem(db, { status: 'pending_approval', complianceStatus: 'pending' });

describe('PUT /api/v1/content/{id}/compliance', () => {
  it('records the verdict and note: a version, an audit row (content.compliance) and a content.compliance_reviewed event', async () => {
    const item = await pending();
    const res = await putCompliance(
      item.id,
      await authHeaders('approver'),
      { status: 'flagged', note: '  Missing risk warning.  ' },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(await res.json()).toMatchObject({
      complianceStatus: 'flagged',
      complianceNote: 'Missing risk warning.',
      status: 'pending_approval',
      version: 2,
    });
    expect(await trail(db, item.id)).toEqual({ versions: 1, audit: 1, events: 1 });
    const [version] = await versionsOf(db, item.id);
    expect(version).toMatchObject({
      action: 'content.compliance',
      authorId: userId('approver'),
      message: 'Missing risk warning.',
    });
    expect(version!.snapshot).toMatchObject({ complianceStatus: 'flagged', complianceNote: 'Missing risk warning.' });
    const [audit] = await auditRows({ type: 'content', id: item.id });
    expect(audit).toMatchObject({ action: 'content.compliance', actorId: userId('approver') });
    expect(audit!.changes).toEqual({
      before: { complianceStatus: 'pending', version: 1, comment: null },
      after: { complianceStatus: 'flagged', version: 2, comment: 'Missing risk warning.' },
    });
    const [event] = await eventsOf(db, item.id);
    expect(event).toMatchObject({ type: 'content.compliance_reviewed', payload: { contentId: item.id, version: 2 } });
  });

  it('approved needs no note; flagged and rejected do (400); the note is at most 2000 characters', async () => {
    const item = await pending();
    const headers = await authHeaders('org_admin');
    for (const body of [
      { status: 'flagged' },
      { status: 'rejected' },
      { status: 'rejected', note: '  ' },
      { status: 'approved', note: 'x'.repeat(2001) },
    ]) {
      const res = await putCompliance(item.id, headers, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path)).toContain('body.note');
    }
    for (const body of [
      { status: 'pending' },
      { status: 'ok' },
      { note: 'x' },
      { status: 'approved', complianceStatus: 'approved' },
    ]) {
      expect((await putCompliance(item.id, headers, body)).status, JSON.stringify(body)).toBe(400);
    }
    expect(await readContent(db, item.id)).toEqual(item);
    const ok = await putCompliance(item.id, headers, { status: 'approved' }, { 'if-match': '"1"' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ complianceStatus: 'approved', complianceNote: null });
  });

  it('the creator may not review its own content (403 cannot_review_own); nothing changes', async () => {
    const item = await workflowItem(db, {
      status: 'pending_approval',
      complianceStatus: 'pending',
      creatorId: userId('approver'),
    });
    const res = await putCompliance(
      item.id,
      await authHeaders('approver'),
      { status: 'approved' },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('cannot_review_own');
    expect(await readContent(db, item.id)).toEqual(item);
  });

  it('428 precondition_required without If-Match or with `*`; nothing changes', async () => {
    const item = await pending();
    for (const extra of [{}, { 'if-match': '*' }] as Record<string, string>[]) {
      const res = await putCompliance(item.id, await authHeaders('approver'), { status: 'approved' }, extra);
      expect(res.status, JSON.stringify(extra)).toBe(428);
      const problem = await readProblem(res);
      expect(problem.code).toBe('precondition_required');
      expect(problem.errors).toEqual([expect.objectContaining({ path: 'header.if-match' })]);
    }
    expect(await readContent(db, item.id)).toEqual(item);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('whoever edited the text since the last approval may not review it (403 cannot_review_own); others may', async () => {
    const item = await pending();
    const edit = await putContent(item.id, await authHeaders('org_admin'), { body: 'Rewritten by the admin.' });
    expect(edit.status).toBe(200);
    const before = await readContent(db, item.id);
    const ifMatch = { 'if-match': `"${before!.version}"` };
    const res = await putCompliance(item.id, await authHeaders('org_admin'), { status: 'approved' }, ifMatch);
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('cannot_review_own');
    expect(await readContent(db, item.id)).toEqual(before);
    expect((await putCompliance(item.id, await authHeaders('approver'), { status: 'approved' }, ifMatch)).status).toBe(
      200,
    );
  });

  it('403 without content.approve (editor, viewer), 401 anonymous; nothing changes', async () => {
    const item = await pending();
    for (const role of ['editor', 'viewer'] as const) {
      const res = await putCompliance(item.id, await authHeaders(role), { status: 'approved' });
      expect(res.status, role).toBe(403);
    }
    expect((await putCompliance(item.id, {}, { status: 'approved' })).status).toBe(401);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('409 for archived content; 412 for a stale If-Match; nothing changes', async () => {
    const archived = await workflowItem(db, { status: 'archived', complianceStatus: 'pending' });
    const res = await putCompliance(
      archived.id,
      await authHeaders('approver'),
      { status: 'approved' },
      { 'if-match': '"1"' },
    );
    expect(res.status).toBe(409);
    expect((await readProblem(res)).code).toBe('content_archived');
    expect(await readContent(db, archived.id)).toEqual(archived);
    const item = await pending();
    expect(
      (await putCompliance(item.id, await authHeaders('approver'), { status: 'approved' }, { 'if-match': '"2"' }))
        .status,
    ).toBe(412);
    expect(await readContent(db, item.id)).toEqual(item);
  });

  it("404 for another organization's item (unchanged), an unknown id; 400 for a malformed one", async () => {
    const id = seededContentId(3, 'demo');
    const before = await readContent(db, id);
    expect(
      (
        await putCompliance(
          id,
          await authHeaders('approver', 'globex'),
          { status: 'rejected', note: 'x' },
          { 'if-match': `"${before!.version}"` },
        )
      ).status,
    ).toBe(404);
    expect(await readContent(db, id)).toEqual(before);
    expect(
      (
        await putCompliance(
          crypto.randomUUID(),
          await authHeaders('approver'),
          { status: 'approved' },
          { 'if-match': '"1"' },
        )
      ).status,
    ).toBe(404);
    expect((await putCompliance('nope', await authHeaders('approver'), { status: 'approved' })).status).toBe(400);
  });

  it('an edit afterwards resets compliance to pending', async () => {
    const item = await workflowItem(db, { status: 'draft', complianceStatus: 'pending' });
    const reviewer = await insertUser(ORG_ID.demo, 'approver');
    const review = await putCompliance(
      item.id,
      reviewer.headers,
      { status: 'approved', note: 'Clean.' },
      { 'if-match': '"1"' },
    );
    expect(await review.json()).toMatchObject({ complianceStatus: 'approved', complianceNote: 'Clean.' });
    const put = await putContent(item.id, await authHeaders('editor'), { body: 'Changed text' });
    expect(await put.json()).toMatchObject({ complianceStatus: 'pending', complianceNote: null });
  });
});
