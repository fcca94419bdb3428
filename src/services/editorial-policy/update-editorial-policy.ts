import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';
import { matchKey } from '../quality/phrase-matching.ts';

export type EditorialPolicyChanges = { [K in keyof EditorialPolicy]?: EditorialPolicy[K] | undefined };

/**
 * Phrases that match the same text are one phrase: "Risk-free" and "risk free" would flag the same content,
 * so only the first spelling is kept.
 */
export function uniquePhrases(phrases: readonly string[]): string[] {
  const seen = new Set<string>();
  return phrases.filter((phrase) => {
    const key = matchKey(phrase);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const policyColumns = {
  approvalThreshold: organizations.approvalThreshold,
  prohibitedPhrases: organizations.prohibitedPhrases,
  requiredDisclaimer: organizations.requiredDisclaimer,
};

/**
 * Fields left out keep their value. The new rules apply from the next save or approval: stored scores and
 * compliance flags are not recomputed, because they record what the rules were when the text was checked.
 * A change that changes nothing writes nothing and audits nothing.
 */
export async function updateEditorialPolicy({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: EditorialPolicyChanges;
}): Promise<EditorialPolicy> {
  assertCan(ctx.actor, 'policy.manage');
  return ctx.services.db.transaction(async (tx) => {
    const [before] = await tx
      .select(policyColumns)
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId))
      // Not FOR UPDATE: that would stall every audit entry's foreign key to this row, and the audit entry
      // below waits for theirs, a deadlock (tests/worker/organizations/row-lock-and-audit.test.ts).
      .for('no key update');
    if (!before) throw notFound('organization');
    const after: EditorialPolicy = {
      approvalThreshold: input.approvalThreshold ?? before.approvalThreshold,
      prohibitedPhrases: input.prohibitedPhrases ? uniquePhrases(input.prohibitedPhrases) : before.prohibitedPhrases,
      requiredDisclaimer: input.requiredDisclaimer === undefined ? before.requiredDisclaimer : input.requiredDisclaimer,
    };
    if (JSON.stringify(after) === JSON.stringify(before)) return before;
    const [updated] = await tx
      .update(organizations)
      .set(after)
      .where(eq(organizations.id, ctx.organizationId))
      .returning(policyColumns);
    if (!updated) throw notFound('organization');
    await recordAudit(tx, ctx, {
      action: 'organization.policy_update',
      entityType: 'organization',
      entityId: ctx.organizationId,
      before,
      after: updated,
    });
    return updated;
  });
}
