import type { Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { assertMayEdit } from '../content/content-rules.ts';
import { assertVersionMatches, assertVersionNamed, type VersionPrecondition } from '../content/version-precondition.ts';
import type { Transaction } from '../../db/executor.ts';
import { writeVersioned } from '../content/versioned-write.ts';
import { loadEditorialPolicy } from '../organizations/policy.ts';
import { actionSteps } from './action-steps.ts';
import { assertCanAny, assertNotOwnWork } from './actor-rules.ts';
import { reviewText } from './review-text.ts';
import { assertTransition, transitions, type WorkflowAction } from './transitions.ts';
import { parseScheduleTime } from './zoned-time.ts';

export interface WorkflowActionInput {
  id: string;
  action: WorkflowAction;
  /** Optional for every action but reject; kept as the version message and in the audit row. */
  comment?: string | undefined;
  /** Required (a version, not `*`) for the sign-offs (approve, publish, schedule) unless the platform acts. */
  ifMatch?: VersionPrecondition | undefined;
  /** schedule: an ISO instant with an offset, or a local date-time together with timeZone. */
  scheduledAt?: string | undefined;
  timeZone?: string | undefined;
}

function requiredScheduledAt(scheduledAt: string | undefined): string {
  if (scheduledAt !== undefined) return scheduledAt;
  throw new DomainError('validation', 'scheduledAt is required to schedule.', {
    code: 'validation_failed',
    fields: [{ path: 'body.scheduledAt', message: 'required', code: 'invalid_type' }],
  });
}

/** Who may take this action on this item, beyond the permission: the edit rule to submit, four eyes to approve. */
async function assertActorMayAct(
  tx: Transaction,
  ctx: TenantContext,
  action: WorkflowAction,
  current: Content,
): Promise<void> {
  if (action === 'submit') assertMayEdit(ctx.actor, current);
  if (action === 'approve')
    await assertNotOwnWork(tx, ctx.actor, current, { code: 'cannot_approve_own', doing: 'approve it' });
}

/**
 * One workflow action, checked in the order a client can act on the answers: malformed input (400), a
 * sign-off that names no version (428), unknown item (404), not yours to do (403), stale If-Match (412),
 * not from this status (409, naming the status and what is allowed), then the action's own rules and gates (422). A success is one new version
 * with its audit row (who, the transition, the comment) and outbox event.
 */
export async function runWorkflowAction({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: WorkflowActionInput;
}): Promise<Content> {
  const transition = transitions[input.action];
  assertCanAny(ctx.actor, transition.permissions);
  const comment = reviewText(
    input.comment,
    'comment',
    input.action === 'reject' ? 'required to reject: tell the author what to change' : null,
  );
  const schedule =
    input.action === 'schedule' ? parseScheduleTime(requiredScheduledAt(input.scheduledAt), input.timeZone) : undefined;
  if (transition.requiresVersion) assertVersionNamed(ctx.actor, input.ifMatch, input.action);
  const { item } = await writeVersioned(ctx, input.id, async (current, tx) => {
    await assertActorMayAct(tx, ctx, input.action, current);
    assertVersionMatches(input.ifMatch, current.version);
    assertTransition(input.action, current);
    const step = await actionSteps[input.action]({
      current,
      now: new Date(),
      schedule,
      policy: () => loadEditorialPolicy(tx, ctx.organizationId),
    });
    return {
      kind: 'write',
      set: { ...step.set, status: transition.to },
      action: `content.${input.action}`,
      event: transition.event,
      message: comment,
      audit: { transition: { action: input.action, from: current.status, to: transition.to }, ...step.audit },
    };
  });
  return item;
}
