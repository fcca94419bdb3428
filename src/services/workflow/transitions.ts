import type { Action } from '../../auth/permissions.ts';
import type { Content, ContentStatus } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { ContentEventType } from '../../events/content.ts';
import type { ContentColumns } from '../content/versioned-write.ts';

/** The editorial workflow: the only way `status` changes. */
export const workflowActions = [
  'submit',
  'approve',
  'reject',
  'publish',
  'schedule',
  'unschedule',
  'unpublish',
  'archive',
  'restore',
] as const;
export type WorkflowAction = (typeof workflowActions)[number];

export interface Transition {
  from: readonly ContentStatus[];
  to: ContentStatus;
  /** Any one suffices (submit follows the edit rule: content.update, or content.update_own for one's own). */
  permissions: readonly [Action, ...Action[]];
  event: ContentEventType;
  /**
   * A sign-off on the text as read: the actor must name the version they act on (If-Match), so an edit in
   * between is never signed off unseen. Scheduling is a deferred publish and counts as one.
   */
  requiresVersion?: true;
}

const live: ContentStatus[] = ['draft', 'pending_approval', 'approved', 'published'];

export const transitions: Readonly<Record<WorkflowAction, Transition>> = {
  submit: {
    from: ['draft'],
    to: 'pending_approval',
    permissions: ['content.update', 'content.update_own'],
    event: 'content.submitted',
  },
  approve: {
    from: ['pending_approval'],
    to: 'approved',
    permissions: ['content.approve'],
    event: 'content.approved',
    requiresVersion: true,
  },
  reject: { from: ['pending_approval'], to: 'draft', permissions: ['content.approve'], event: 'content.rejected' },
  publish: {
    from: ['approved'],
    to: 'published',
    permissions: ['content.publish'],
    event: 'content.published',
    requiresVersion: true,
  },
  schedule: {
    from: ['approved'],
    to: 'approved',
    permissions: ['content.publish'],
    event: 'content.scheduled',
    requiresVersion: true,
  },
  unschedule: { from: ['approved'], to: 'approved', permissions: ['content.publish'], event: 'content.unscheduled' },
  unpublish: { from: ['published'], to: 'approved', permissions: ['content.publish'], event: 'content.unpublished' },
  archive: { from: live, to: 'archived', permissions: ['content.archive'], event: 'content.archived' },
  restore: { from: ['archived'], to: 'draft', permissions: ['content.archive'], event: 'content.restored' },
};

/** The actions that could apply to an item in this status (before permissions and gates). */
export function allowedActions(status: ContentStatus): WorkflowAction[] {
  return workflowActions.filter((action) => transitions[action].from.includes(status));
}

/** 409 naming where the item is and what can be done from there. */
export function assertTransition(action: WorkflowAction, current: Pick<Content, 'status'>): Transition {
  const transition = transitions[action];
  if (transition.from.includes(current.status)) return transition;
  const allowed = allowedActions(current.status);
  throw new DomainError(
    'conflict',
    `Cannot ${action} content that is ${current.status}; allowed from ${current.status}: ${allowed.join(', ') || 'none'}.`,
    {
      code: 'invalid_transition',
      fields: [
        { path: 'status', message: current.status, code: 'current_status' },
        ...allowed.map((a) => ({ path: 'allowedActions', message: a, code: 'allowed_action' })),
      ],
    },
  );
}

/** What publishing sets, now or from the schedule: the new version becomes the one readers see. */
export function publishedFields(current: Pick<Content, 'version'>, now: Date): Partial<ContentColumns> {
  return {
    status: 'published',
    publishedAt: now,
    publishedVersion: current.version + 1,
    scheduledAt: null,
    scheduledVersion: null,
    scheduleError: null,
    scheduleFailedAt: null,
  };
}
