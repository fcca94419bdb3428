import { describe, expect, it } from 'vitest';
import { contentStatuses, type ContentStatus, type NewContent } from '../../../src/db/schema/index.ts';
import {
  allowedActions,
  transitions,
  workflowActions,
  type WorkflowAction,
} from '../../../src/services/workflow/transitions.ts';
import { authHeaders, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { act, eventsOf, readContent, trail, versionsOf, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();
const inAnHour = () => new Date(Date.now() + 3_600_000);

interface HappyCase {
  /** The item before: status and whatever else the action needs. */
  before: Partial<NewContent> & { status: ContentStatus };
  role: 'editor' | 'approver' | 'org_admin';
  body?: Record<string, unknown>;
  /** What the row must hold afterwards, besides status and version. */
  after?: (before: { publishedAt: Date | null }) => Record<string, unknown>;
}

const scheduledFor = new Date(Date.now() + 7 * 86_400_000);
const happy: Record<WorkflowAction, HappyCase> = {
  submit: { before: { status: 'draft' }, role: 'editor' },
  approve: { before: { status: 'pending_approval' }, role: 'approver' },
  reject: {
    before: { status: 'pending_approval' },
    role: 'approver',
    body: { comment: 'Cite the source of the yield figures.' },
  },
  publish: {
    before: { status: 'approved' },
    role: 'editor',
    after: () => ({ publishedVersion: 2, scheduledAt: null }),
  },
  schedule: {
    before: { status: 'approved', scheduleError: 'earlier failure', scheduleFailedAt: new Date() },
    role: 'approver',
    body: { scheduledAt: scheduledFor.toISOString() },
    after: () => ({ scheduledAt: scheduledFor, scheduledVersion: 2, scheduleError: null, scheduleFailedAt: null }),
  },
  unschedule: {
    before: { status: 'approved', scheduledAt: inAnHour(), scheduledVersion: 1 },
    role: 'editor',
    after: () => ({ scheduledAt: null, scheduledVersion: null }),
  },
  unpublish: {
    before: { status: 'published', publishedVersion: 1, publishedAt: new Date('2026-01-02T03:04:05Z') },
    role: 'editor',
    after: (before) => ({ publishedVersion: null, publishedAt: before.publishedAt }),
  },
  archive: {
    before: { status: 'published', publishedVersion: 1, scheduledAt: inAnHour() },
    role: 'org_admin',
    after: () => ({ publishedVersion: null, scheduledAt: null }),
  },
  restore: {
    before: { status: 'archived', complianceStatus: 'approved', complianceNote: 'ok' },
    role: 'editor',
    after: () => ({ complianceStatus: 'pending', complianceNote: null }),
  },
};

describe('workflow actions: each legal transition', () => {
  for (const action of workflowActions) {
    const { before, role, body, after } = happy[action];
    const transition = transitions[action];
    it(`${action}: ${before.status} → ${transition.to} by ${role}, one version, audit row and event`, async () => {
      const item = await workflowItem(db, before);
      const comment = (body?.comment as string | undefined) ?? `Why ${action}`;
      const res = await act(item.id, action, await authHeaders(role), { ...body, comment }, { 'if-match': '"1"' });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(res.headers.get('etag')).toBe('"2"');
      expect(await res.json()).toMatchObject({ id: item.id, status: transition.to, version: 2 });

      const row = await readContent(db, item.id);
      expect(row).toMatchObject({ status: transition.to, version: 2, title: item.title, ...after?.(item) });
      expect(await trail(db, item.id)).toEqual({ versions: 1, audit: 1, events: 1 });

      const [version] = await versionsOf(db, item.id);
      expect(version).toMatchObject({
        version: 2,
        action: `content.${action}`,
        authorType: 'user',
        authorId: userId(role),
        message: comment,
      });
      expect(version!.snapshot).toMatchObject({ status: transition.to, title: item.title, version: 2 });

      const [audit] = await auditRows({ type: 'content', id: item.id });
      expect(audit).toMatchObject({
        action: `content.${action}`,
        actorType: 'user',
        actorId: userId(role),
        requestId: res.headers.get('x-request-id'),
      });
      expect(audit!.changes.after).toMatchObject({
        version: 2,
        comment,
        transition: { action, from: before.status, to: transition.to },
      });
      expect(audit!.changes.before).toMatchObject({ version: 1 });
      if (before.status !== transition.to) {
        expect(audit!.changes.before.status).toBe(before.status);
        expect(audit!.changes.after.status).toBe(transition.to);
      }

      const [event] = await eventsOf(db, item.id);
      expect(event).toMatchObject({
        type: transition.event,
        payload: {
          contentId: item.id,
          version: 2,
          status: transition.to,
          comment,
          actor: { type: 'user', id: userId(role) },
        },
      });
    });
  }

  it('a body is optional where the comment is: no body, no message', async () => {
    const item = await workflowItem(db, { status: 'draft' });
    const res = await act(item.id, 'submit', await authHeaders('editor'));
    expect(res.status).toBe(200);
    const [version] = await versionsOf(db, item.id);
    expect(version).toMatchObject({ action: 'content.submit', message: null });
    const [audit] = await auditRows({ type: 'content', id: item.id });
    expect(audit!.changes.after).not.toHaveProperty('comment');
  });
});

describe('workflow actions: illegal transitions', () => {
  const illegal = workflowActions.flatMap((action) =>
    contentStatuses
      .filter((status) => !transitions[action].from.includes(status))
      .map((status) => ({ action, status })),
  );

  it('covers every action from every status it does not apply to', () => {
    expect(illegal.length).toBe(
      workflowActions.length * contentStatuses.length -
        workflowActions.reduce((n, a) => n + transitions[a].from.length, 0),
    );
  });

  for (const { action, status } of illegal) {
    it(`${action} from ${status} → 409 naming ${status} and the allowed actions; nothing changes`, async () => {
      const item = await workflowItem(db, { status, ...(status === 'published' ? { publishedVersion: 1 } : {}) });
      const res = await act(
        item.id,
        action,
        await authHeaders('org_admin'),
        action === 'reject'
          ? { comment: 'No.' }
          : action === 'schedule'
            ? { scheduledAt: inAnHour().toISOString() }
            : undefined,
        { 'if-match': '"1"' },
      );
      expect(res.status).toBe(409);
      const problem = await readProblem(res);
      expect(problem.code).toBe('invalid_transition');
      const allowed = allowedActions(status);
      expect(problem.detail).toContain(`content that is ${status}`);
      for (const a of allowed) expect(problem.detail).toContain(a);
      expect(problem.errors).toEqual([
        { path: 'status', message: status, code: 'current_status' },
        ...allowed.map((a) => ({ path: 'allowedActions', message: a, code: 'allowed_action' })),
      ]);
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    });
  }
});

describe('workflow actions: preconditions, validation and security', () => {
  const anyBody = (action: WorkflowAction) =>
    action === 'reject'
      ? { comment: 'Because.' }
      : action === 'schedule'
        ? { scheduledAt: inAnHour().toISOString() }
        : {};

  it('412 on every action when If-Match names another version; nothing changes', async () => {
    for (const action of workflowActions) {
      const item = await workflowItem(db, happy[action].before);
      const res = await act(item.id, action, await authHeaders('org_admin'), anyBody(action), { 'if-match': '"5"' });
      expect(res.status, action).toBe(412);
      expect((await readProblem(res)).code).toBe('precondition_failed');
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    }
  });

  it('428 on the sign-offs (approve, publish, schedule) without If-Match or with `*`; nothing changes', async () => {
    const signOffs = workflowActions.filter((action) => transitions[action].requiresVersion);
    expect(signOffs).toEqual(['approve', 'publish', 'schedule']);
    for (const action of signOffs) {
      const item = await workflowItem(db, happy[action].before);
      for (const extra of [{}, { 'if-match': '*' }] as Record<string, string>[]) {
        const res = await act(item.id, action, await authHeaders(happy[action].role), anyBody(action), extra);
        expect(res.status, `${action} ${JSON.stringify(extra)}`).toBe(428);
        const problem = await readProblem(res);
        expect(problem.code).toBe('precondition_required');
        expect(problem.errors).toEqual([expect.objectContaining({ path: 'header.if-match' })]);
      }
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
      // The same request naming the version it read goes through.
      const named = await act(item.id, action, await authHeaders(happy[action].role), anyBody(action), {
        'if-match': '"1"',
      });
      expect(named.status, action).toBe(200);
    }
  });

  it("404 on every action for another organization's item, which stays unchanged; 404 unknown; 400 malformed id", async () => {
    for (const action of workflowActions) {
      const item = await workflowItem(db, happy[action].before);
      const ifMatch = { 'if-match': '"1"' };
      const res = await act(item.id, action, await authHeaders('org_admin', 'globex'), anyBody(action), ifMatch);
      expect(res.status, action).toBe(404);
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
      const unknown = await act(crypto.randomUUID(), action, await authHeaders('org_admin'), anyBody(action), ifMatch);
      expect(unknown.status).toBe(404);
      const malformed = await act('not-a-uuid', action, await authHeaders('org_admin'), anyBody(action));
      expect(malformed.status).toBe(400);
      expect((await readProblem(malformed)).errors.map((e) => e.path)).toContain('path.id');
    }
  });

  it('401 without credentials on every action', async () => {
    const item = await workflowItem(db, { status: 'draft' });
    for (const action of workflowActions)
      expect((await act(item.id, action, {}, anyBody(action))).status, action).toBe(401);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('403 for roles without the permission (viewer everywhere, editor to approve/reject, approver to archive/restore); nothing changes', async () => {
    const denied: [WorkflowAction, 'viewer' | 'editor' | 'approver'][] = [
      ...workflowActions.map((a) => [a, 'viewer'] as [WorkflowAction, 'viewer']),
      ['approve', 'editor'],
      ['reject', 'editor'],
      ['archive', 'approver'],
      ['restore', 'approver'],
    ];
    for (const [action, role] of denied) {
      const item = await workflowItem(db, happy[action].before);
      const res = await act(item.id, action, await authHeaders(role), anyBody(action));
      expect(res.status, `${role} ${action}`).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
      expect(await readContent(db, item.id)).toEqual(item);
      expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
    }
  });

  it('400 for unknown or server-owned fields in the body, a blank or overlong comment, and a non-JSON body', async () => {
    const item = await workflowItem(db, { status: 'draft' });
    const headers = await authHeaders('editor');
    const cases: [unknown, string][] = [
      [{ status: 'published' }, 'body.status'],
      [{ comment: 'ok', extra: 1 }, 'body.extra'],
      [{ comment: '   ' }, 'body.comment'],
      [{ comment: 'x'.repeat(2001) }, 'body.comment'],
      [{ comment: 42 }, 'body.comment'],
    ];
    for (const [body, path] of cases) {
      const res = await act(item.id, 'submit', headers, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
    }
    const text = await call(`/api/v1/content/${item.id}/submit`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain' },
      body: 'submit',
    });
    expect(text.status).toBe(415);
    expect(await readContent(db, item.id)).toEqual(item);
  });
});
