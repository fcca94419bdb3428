/**
 * Why each workflow action is or is not available, mirroring the API's rules (docs/decisions/0013, 0028):
 * role, then state, then unsaved changes, then four eyes, then the approval gates. The API still decides;
 * this only saves a round trip and says why in words.
 */
import type { Schemas } from '../../api/client.ts';
import type { Action } from '../../auth/session.tsx';

export type WorkflowAction =
  | 'submit'
  | 'approve'
  | 'reject'
  | 'compliance'
  | 'publish'
  | 'schedule'
  | 'unschedule'
  | 'unpublish'
  | 'archive'
  | 'restore';

type Status = Schemas['Content']['status'];

const from: Record<WorkflowAction, readonly Status[]> = {
  submit: ['draft'],
  approve: ['pending_approval'],
  reject: ['pending_approval'],
  compliance: ['draft', 'pending_approval', 'approved', 'published'],
  publish: ['approved'],
  schedule: ['approved'],
  unschedule: ['approved'],
  unpublish: ['published'],
  archive: ['draft', 'pending_approval', 'approved', 'published'],
  restore: ['archived'],
};

const permission: Record<WorkflowAction, Action> = {
  submit: 'content.update',
  approve: 'content.approve',
  reject: 'content.approve',
  compliance: 'content.approve',
  publish: 'content.publish',
  schedule: 'content.publish',
  unschedule: 'content.publish',
  unpublish: 'content.publish',
  archive: 'content.archive',
  restore: 'content.archive',
};

const roleReason: Record<WorkflowAction, string> = {
  submit: 'Your role cannot edit this item, so it cannot submit it.',
  approve: 'Only approvers and org admins can approve.',
  reject: 'Only approvers and org admins can reject.',
  compliance: 'Only approvers and org admins can review compliance.',
  publish: 'Your role cannot publish.',
  schedule: 'Your role cannot schedule publication.',
  unschedule: 'Your role cannot change the schedule.',
  unpublish: 'Your role cannot unpublish.',
  archive: 'Your role cannot archive content.',
  restore: 'Your role cannot restore archived content.',
};

const statusWords: Record<Status, string> = {
  draft: 'a draft',
  pending_approval: 'in review',
  approved: 'approved',
  published: 'published',
  archived: 'archived',
};

function stateReason(action: WorkflowAction, item: Schemas['Content']): string | null {
  if (from[action].includes(item.status)) {
    if (action === 'unschedule' && !item.scheduledAt) return 'Not scheduled.';
    return null;
  }
  const s = item.status;
  if (s === 'archived') return 'Archived: restore it first.';
  switch (action) {
    case 'submit':
      return s === 'pending_approval' ? 'Already submitted for review.' : `Already ${statusWords[s]}.`;
    case 'approve':
    case 'reject':
      return s === 'draft' ? 'Not submitted for review yet.' : `Already ${statusWords[s]}.`;
    case 'publish':
    case 'schedule':
      return s === 'published' ? 'Already published.' : 'Needs approval first.';
    case 'unschedule':
      return 'Not scheduled.';
    case 'unpublish':
      return 'Not published.';
    case 'restore':
      return 'Not archived.';
    default:
      return `Not possible while ${statusWords[s]}.`;
  }
}

export interface RuleInput {
  item: Schemas['Content'];
  can: (action: Action) => boolean;
  userId: string | null;
  dirty: boolean;
  /** The policy's approval threshold (null while loading: the quality gate is then left to the API). */
  threshold: number | null;
  /** A version the signed-in user wrote since the last approval (0028), if any. */
  authoredVersion: number | null;
}

const sentence = (note: string | null) => (note ? `: ${note.replace(/[.\s]+$/, '')}` : '');

function gateReason(item: Schemas['Content'], threshold: number | null): string | null {
  if (item.complianceStatus === 'flagged') return `Compliance flagged${sentence(item.complianceNote)}.`;
  if (item.complianceStatus === 'rejected') return `Compliance rejected${sentence(item.complianceNote)}.`;
  if (item.complianceStatus !== 'approved') return 'Compliance not approved yet: it needs a compliance review first.';
  if (threshold !== null && (item.qualityScore ?? 0) < threshold)
    return `Quality score ${item.qualityScore?.toFixed(1) ?? 'none'} is below the policy threshold ${threshold.toFixed(1)}.`;
  return null;
}

function fourEyesReason(action: 'approve' | 'compliance', input: RuleInput): string | null {
  const verb = action === 'approve' ? 'approve' : 'review its compliance';
  if (input.userId && input.item.creatorId === input.userId) return `You created this; another approver must ${verb}.`;
  if (input.authoredVersion !== null)
    return `You wrote version ${input.authoredVersion} since the last approval; another approver must ${verb}.`;
  return null;
}

/** The reason an action is unavailable, or null when it may be tried. */
export function disabledReason(action: WorkflowAction, input: RuleInput): string | null {
  const { item, can, userId } = input;
  const own = userId !== null && item.creatorId === userId;
  const allowed =
    action === 'submit' ? can('content.update') || (own && can('content.update_own')) : can(permission[action]);
  if (!allowed) return roleReason[action];
  const state = stateReason(action, item);
  if (state) return state;
  if (input.dirty) return 'Save your changes first.';
  if (action === 'approve' || action === 'compliance') {
    const eyes = fourEyesReason(action, input);
    if (eyes) return eyes;
  }
  if (action === 'approve' || action === 'publish' || action === 'schedule') return gateReason(item, input.threshold);
  return null;
}

/** The four-eyes window of 0028: the newest version the user authored after the last approval, if any. */
export function authoredSinceApproval(
  versions: readonly Schemas['ContentVersionSummary'][],
  userId: string | null,
): number | null {
  if (!userId) return null;
  const lastApproval = Math.max(0, ...versions.filter((v) => v.action === 'content.approve').map((v) => v.version));
  const authoring = new Set(['content.create', 'content.update', 'content.version_restore']);
  const mine = versions.filter(
    (v) => v.version > lastApproval && authoring.has(v.action) && v.author.type !== 'system' && v.author.id === userId,
  );
  return mine.length ? Math.max(...mine.map((v) => v.version)) : null;
}

const nextStep: Record<Schemas['Content']['status'], WorkflowAction> = {
  draft: 'submit',
  pending_approval: 'approve',
  approved: 'publish',
  published: 'unpublish',
  archived: 'restore',
};

/** The step the item is waiting for, so what blocks it is visible without hovering a button. */
export const nextAction = (status: Schemas['Content']['status']): WorkflowAction => nextStep[status];
