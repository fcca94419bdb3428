import { describe, expect, it } from 'vitest';
import { authHeaders, userId } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { act, readContent, trail, workflowItem } from './fixtures.ts';
import { ORG_ID, useHarness } from '../harness.ts';

const { db, auditRows, insertUser } = useHarness();

describe('POST /api/v1/content/{id}/approve: four eyes', () => {
  for (const role of ['approver', 'org_admin', 'super_admin'] as const) {
    it(`a ${role} may not approve content it created (403 cannot_approve_own); nothing changes`, async () => {
      const item = await workflowItem(db, { status: 'pending_approval', creatorId: userId(role) });
      const res = await act(item.id, 'approve', await authHeaders(role), { comment: 'Looks fine to me.' });
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
    const res = await act(item.id, 'approve', second.headers, { comment: 'Second pair of eyes.' });
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
