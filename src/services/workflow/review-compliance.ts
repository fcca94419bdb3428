import { assertCan } from '../../auth/assert.ts';
import type { ComplianceStatus, Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { assertNotArchived } from '../content/content-rules.ts';
import { assertVersionMatches, assertVersionNamed, type VersionPrecondition } from '../content/version-precondition.ts';
import { writeVersioned } from '../content/versioned-write.ts';
import { assertNotOwnWork } from './actor-rules.ts';
import { reviewText } from './review-text.ts';

export type ComplianceVerdict = Exclude<ComplianceStatus, 'pending'>;

export interface ReviewComplianceInput {
  id: string;
  status: ComplianceVerdict;
  /** Required to flag or reject: the author must learn what is wrong. */
  note?: string | undefined;
  /** Required (a version, not `*`) unless the platform acts: a verdict is on the text the reviewer read. */
  ifMatch?: VersionPrecondition | undefined;
}

/**
 * A compliance reviewer's verdict on the current text. It does not move the item through the workflow:
 * the gates read it at approval, publication and schedule time (and the cron at fire time). Not a content
 * edit either, so a schedule made for the previous version still holds (scheduledVersion moves along).
 */
export async function reviewCompliance({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ReviewComplianceInput;
}): Promise<Content> {
  assertCan(ctx.actor, 'content.approve');
  const note = reviewText(
    input.note,
    'note',
    input.status === 'approved' ? null : `required when status is ${input.status}`,
  );
  assertVersionNamed(ctx.actor, input.ifMatch, 'review compliance');
  const { item } = await writeVersioned(ctx, input.id, async (current, tx) => {
    await assertNotOwnWork(tx, ctx.actor, current, { code: 'cannot_review_own', doing: 'review its compliance' });
    assertVersionMatches(input.ifMatch, current.version);
    assertNotArchived(current);
    const scheduleHolds = current.scheduledVersion !== null && current.scheduledVersion === current.version;
    return {
      kind: 'write',
      set: {
        complianceStatus: input.status,
        complianceNote: note,
        ...(scheduleHolds ? { scheduledVersion: current.version + 1 } : {}),
      },
      action: 'content.compliance',
      event: 'content.compliance_reviewed',
      message: note,
    };
  });
  return item;
}
