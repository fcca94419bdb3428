import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { act, readContent, trail, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();

describe('POST /api/v1/content/{id}/archive and /restore', () => {
  it('archive takes a published, scheduled item out of circulation like DELETE does, with a comment', async () => {
    const item = await workflowItem(db, {
      status: 'approved',
      publishedVersion: 1,
      scheduledAt: new Date('2030-01-01T00:00:00Z'),
      scheduledVersion: 1,
    });
    const res = await act(item.id, 'archive', await authHeaders('editor'), {
      comment: 'Superseded by the Q3 outlook.',
    });
    expect(res.status).toBe(200);
    expect(await readContent(db, item.id)).toMatchObject({
      status: 'archived',
      publishedVersion: null,
      scheduledAt: null,
      scheduledVersion: null,
      version: 2,
    });
    const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.archive' });
    expect(audit!.changes.after).toMatchObject({
      comment: 'Superseded by the Q3 outlook.',
      transition: { action: 'archive', from: 'approved', to: 'archived' },
    });
  });

  it('archiving an archived item is 409 through the workflow (DELETE stays idempotent)', async () => {
    const item = await workflowItem(db, { status: 'archived' });
    const res = await act(item.id, 'archive', await authHeaders('editor'));
    expect(res.status).toBe(409);
    expect((await readProblem(res)).detail).toContain('archived');
    const del = await call(`/api/v1/content/${item.id}`, { method: 'DELETE', headers: await authHeaders('editor') });
    expect(del.status).toBe(204);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('restore brings it back as a draft with compliance pending, whatever it was before', async () => {
    const item = await workflowItem(db, {
      status: 'archived',
      complianceStatus: 'approved',
      complianceNote: 'Fine in March.',
    });
    const res = await act(item.id, 'restore', await authHeaders('org_admin'), { comment: 'Still relevant.' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'draft',
      complianceStatus: 'pending',
      complianceNote: null,
      publishedVersion: null,
      version: 2,
    });
    const [audit] = await auditRows({ type: 'content', id: item.id, action: 'content.restore' });
    expect(audit!.changes).toMatchObject({
      before: { status: 'archived', complianceStatus: 'approved' },
      after: { status: 'draft', complianceStatus: 'pending', comment: 'Still relevant.' },
    });
    // From there the ordinary workflow applies; editing is allowed again.
    const put = await call(`/api/v1/content/${item.id}`, {
      method: 'PUT',
      headers: { ...(await authHeaders('editor')), 'content-type': 'application/json' },
      body: '{"title":"Back in play"}',
    });
    expect(put.status).toBe(200);
  });
});
