import { describe, expect, it } from 'vitest';
import { permissionTable } from '../../../src/auth/permissions.ts';
import { SYSTEM_ACTOR, type Actor } from '../../../src/auth/principal.ts';
import { DomainError } from '../../../src/lib/errors.ts';
import type { TenantContext } from '../../../src/services/container.ts';
import { reviewCompliance } from '../../../src/services/workflow/review-compliance.ts';
import { runWorkflowAction } from '../../../src/services/workflow/run-workflow-action.ts';
import { ORG_ID, userId } from '../auth.ts';
import { readContent, trail, workflowItem } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, ctx: base } = useHarness();

const as = (actor: Actor): TenantContext => ({
  ...base,
  actor,
  organizationId: ORG_ID.demo,
  client: { ip: null, userAgent: null },
});
const user = (role: 'viewer' | 'editor' | 'approver'): Actor => ({
  type: 'user',
  id: userId(role),
  userId: userId(role),
  role,
  permissions: permissionTable[role],
});

async function rejection(work: Promise<unknown>): Promise<DomainError> {
  const err = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(err)}`);
  return err;
}

/** The services check again what the routes guard: queue and cron code calls them without a route in front. */
describe('workflow services called directly', () => {
  it('the platform (system actor) is nobody\u2019s author: it may approve and publish, and is recorded as system', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    await runWorkflowAction({ ctx: as(SYSTEM_ACTOR), input: { id: item.id, action: 'approve' } });
    const published = await runWorkflowAction({
      ctx: as(SYSTEM_ACTOR),
      input: { id: item.id, action: 'publish', comment: 'scheduled' },
    });
    expect(published).toMatchObject({ status: 'published', publishedVersion: 3, version: 3 });
    expect(await trail(db, item.id)).toEqual({ versions: 2, audit: 2, events: 2 });
  });

  it('refuses a role without the permission, a rejection without comment, a schedule without time, a flag without note', async () => {
    const item = await workflowItem(db, { status: 'pending_approval' });
    expect(
      await rejection(runWorkflowAction({ ctx: as(user('viewer')), input: { id: item.id, action: 'submit' } })),
    ).toMatchObject({ kind: 'forbidden' });
    expect(
      await rejection(runWorkflowAction({ ctx: as(user('editor')), input: { id: item.id, action: 'approve' } })),
    ).toMatchObject({ kind: 'forbidden' });
    expect(
      await rejection(
        runWorkflowAction({ ctx: as(user('approver')), input: { id: item.id, action: 'reject', comment: '  ' } }),
      ),
    ).toMatchObject({ kind: 'validation', fields: [expect.objectContaining({ path: 'body.comment' })] });
    expect(
      await rejection(runWorkflowAction({ ctx: as(user('approver')), input: { id: item.id, action: 'schedule' } })),
    ).toMatchObject({ kind: 'validation', fields: [expect.objectContaining({ path: 'body.scheduledAt' })] });
    expect(
      await rejection(reviewCompliance({ ctx: as(user('approver')), input: { id: item.id, status: 'flagged' } })),
    ).toMatchObject({ kind: 'validation', fields: [expect.objectContaining({ path: 'body.note' })] });
    expect(
      await rejection(reviewCompliance({ ctx: as(user('editor')), input: { id: item.id, status: 'approved' } })),
    ).toMatchObject({ kind: 'forbidden' });
    expect(await readContent(db, item.id)).toEqual(item);
    expect(await trail(db, item.id)).toEqual({ versions: 0, audit: 0, events: 0 });
  });

  it('a person must name the version they sign off (precondition_required) before anything is read; the platform need not', async () => {
    const missing = crypto.randomUUID();
    for (const ifMatch of [undefined, '*' as const]) {
      for (const action of ['approve', 'publish'] as const) {
        expect(
          await rejection(runWorkflowAction({ ctx: as(user('approver')), input: { id: missing, action, ifMatch } })),
        ).toMatchObject({ kind: 'precondition_required', code: 'precondition_required' });
      }
      expect(
        await rejection(
          runWorkflowAction({
            ctx: as(user('approver')),
            input: { id: missing, action: 'schedule', scheduledAt: '2030-01-01T09:00:00Z', ifMatch },
          }),
        ),
      ).toMatchObject({ kind: 'precondition_required' });
      expect(
        await rejection(
          reviewCompliance({ ctx: as(user('approver')), input: { id: missing, status: 'approved', ifMatch } }),
        ),
      ).toMatchObject({ kind: 'precondition_required' });
    }
    // Named, the same request gets as far as the row: this id does not exist.
    expect(
      await rejection(
        runWorkflowAction({ ctx: as(user('approver')), input: { id: missing, action: 'approve', ifMatch: [1] } }),
      ),
    ).toMatchObject({ kind: 'not_found' });
  });
});
