import type { ContentType } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { loadEditorialPolicy } from '../organizations/policy.ts';
import { can } from '../../auth/permissions.ts';
import { DomainError } from '../../lib/errors.ts';
import { disclaimerCheck, evaluateContent, type QualityBreakdown } from '../quality/evaluate-content.ts';
import { locatePhrases, type PhraseMatch } from '../quality/phrase-positions.ts';
import { screenedFromEvaluation } from './screen-on-save.ts';

export interface DraftText {
  type: ContentType;
  title: string;
  body: string;
}

export interface PhraseHit {
  /** As the policy spells it. */
  phrase: string;
  title: PhraseMatch[];
  body: PhraseMatch[];
}

export interface DraftScore {
  qualityScore: number;
  qualityBreakdown: QualityBreakdown;
  /** What a save of this text would set: flagged (naming the phrases) or pending. */
  complianceStatus: 'flagged' | 'pending';
  complianceNote: string | null;
  prohibitedPhrases: PhraseHit[];
  disclaimer: { required: boolean; text: string | null; present: boolean | null };
  approvalThreshold: number;
  meetsThreshold: boolean;
}

/**
 * What a save of this text would compute, against the organization's current policy, without saving it:
 * the same `screenedFields` and `scoreQuality` the create and update transactions run, plus where each
 * flagged phrase sits so an editor can jump to it. Reads the policy; writes nothing.
 */
export async function scoreDraft({ ctx, input }: { ctx: TenantContext; input: DraftText }): Promise<DraftScore> {
  assertMayWriteSome(ctx);
  const policy = await loadEditorialPolicy(ctx.services.db, ctx.organizationId);
  const evaluation = evaluateContent(input, policy);
  const screened = screenedFromEvaluation(evaluation);
  const breakdown = evaluation.qualityBreakdown as QualityBreakdown;
  const inTitle = locatePhrases(input.title, policy.prohibitedPhrases);
  const inBody = locatePhrases(input.body, policy.prohibitedPhrases);
  const flagged = screened.complianceStatus === 'flagged';
  const disclaimer = disclaimerCheck(input, policy);
  return {
    qualityScore: breakdown.total,
    qualityBreakdown: breakdown,
    complianceStatus: flagged ? 'flagged' : 'pending',
    complianceNote: screened.complianceNote,
    // The flagged list is the scorer's own (findPhrases); positions come from the locator beside it.
    prohibitedPhrases: evaluation.flaggedPhrases.map((phrase) => ({
      phrase,
      title: inTitle.get(phrase) ?? [],
      body: inBody.get(phrase) ?? [],
    })),
    disclaimer: disclaimer
      ? { required: true, text: policy.requiredDisclaimer!.trim(), present: disclaimer.present }
      : { required: false, text: policy.requiredDisclaimer?.trim() || null, present: null },
    approvalThreshold: policy.approvalThreshold,
    meetsThreshold: breakdown.total >= policy.approvalThreshold,
  };
}

/**
 * A dry run of a save: for those who may write any content (create it, or edit anyone's). Not content.update_own
 * alone: that right is decided per item, and a dry run has none (docs/decisions/0039).
 */
function assertMayWriteSome(ctx: TenantContext): void {
  const { actor } = ctx;
  if (actor.type === 'system') return;
  if (WRITE_ACTIONS.some((action) => can(actor.permissions, action))) return;
  throw new DomainError('forbidden', `The ${actor.role} role may not write content, so it has nothing to score.`, {
    code: 'forbidden',
  });
}

const WRITE_ACTIONS = ['content.create', 'content.update'] as const;
