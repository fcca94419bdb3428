import type { Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { assertScheduleInFuture } from '../content/content-rules.ts';
import { screenedFields } from '../content/screen-on-save.ts';
import type { ContentColumns } from '../content/versioned-write.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';
import { assertGatesPass } from './approval-gates.ts';
import { publishedFields, type WorkflowAction } from './transitions.ts';
import { resolveScheduleTime, type ScheduleTime } from './zoned-time.ts';

export interface StepInput {
  current: Content;
  now: Date;
  /** Loaded only by the steps that need it, inside the write's transaction. */
  policy: () => Promise<EditorialPolicy>;
  schedule: ScheduleTime | undefined;
}

export interface StepResult {
  /** Fields besides `status`, which the transition table decides. */
  set: Partial<ContentColumns>;
  /** More for the audit row. */
  audit?: Record<string, unknown>;
}

/** Out of circulation: off the delivery API and off the schedule (the same fields DELETE sets). */
export const archivedFields = {
  publishedVersion: null,
  scheduledAt: null,
  scheduledVersion: null,
} satisfies Partial<ContentColumns>;

const noSchedule = {
  scheduledAt: null,
  scheduledVersion: null,
  scheduleError: null,
  scheduleFailedAt: null,
} satisfies Partial<ContentColumns>;

async function gated(input: StepInput, result: StepResult): Promise<StepResult> {
  assertGatesPass(input.current, await input.policy());
  return result;
}

/**
 * What each action changes once the transition itself is known to be legal, and the rules beyond the
 * transition table. Gates are checked at approval and again whenever the item goes (or is set to go)
 * live, because a compliance review or a stricter policy may have come in between.
 */
export const actionSteps: Readonly<Record<WorkflowAction, (input: StepInput) => StepResult | Promise<StepResult>>> = {
  submit: () => ({ set: {} }),
  approve: (input) => gated(input, { set: {} }),
  reject: () => ({ set: {} }),
  publish: (input) => gated(input, { set: publishedFields(input.current, input.now) }),
  schedule: (input) => {
    // runWorkflowAction refuses a schedule without a time before reading anything.
    if (!input.schedule) throw new Error('schedule step reached without a schedule time');
    const { instant, ambiguous } = resolveScheduleTime(input.schedule);
    assertScheduleInFuture(instant, input.now.getTime());
    // The version this write creates: the cron publishes only if nothing was written after it.
    const set = {
      scheduledAt: instant,
      scheduledVersion: input.current.version + 1,
      scheduleError: null,
      scheduleFailedAt: null,
    };
    const requested = {
      scheduledAt: input.schedule.value,
      ...(input.schedule.timeZone ? { timeZone: input.schedule.timeZone } : {}),
      ...(ambiguous ? { ambiguousLocalTime: true } : {}),
    };
    return gated(input, { set, audit: { requested } });
  },
  unschedule: ({ current }) => {
    if (current.scheduledAt === null) {
      throw new DomainError('conflict', 'The content is not scheduled; there is nothing to unschedule.', {
        code: 'not_scheduled',
        fields: [{ path: 'scheduledAt', message: 'null', code: 'not_scheduled' }],
      });
    }
    return { set: noSchedule };
  },
  // What readers saw stops being served; when it was first published stays on record.
  unpublish: () => ({ set: { publishedVersion: null } }),
  archive: () => ({ set: archivedFields }),
  // Back in circulation as a draft to be reviewed again, screened against today's policy.
  restore: async ({ current, policy }) => ({ set: screenedFields(current, await policy()) }),
};
