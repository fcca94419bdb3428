import type { ContentStatus } from '../../db/schema/index.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';
import { evaluateContent, type ContentText, type Evaluation } from '../quality/evaluate-content.ts';
import type { ContentColumns } from './versioned-write.ts';

/**
 * Every save re-scores the text and resets compliance: a review approved the old words, not these.
 * Text with a prohibited phrase is flagged at once, naming the phrase.
 */
export function screenedFields(text: ContentText, policy: EditorialPolicy): ScreenedFields {
  return screenedFromEvaluation(evaluateContent(text, policy));
}

export type ScreenedFields = Pick<
  ContentColumns,
  'qualityScore' | 'qualityBreakdown' | 'complianceStatus' | 'complianceNote'
>;

/** The columns a save stores for an evaluation; the dry run (score-draft.ts) shows the same. */
export function screenedFromEvaluation(evaluation: Evaluation): ScreenedFields {
  const flagged = evaluation.flaggedPhrases.length > 0;
  return {
    qualityScore: evaluation.qualityScore,
    qualityBreakdown: evaluation.qualityBreakdown,
    complianceStatus: flagged ? 'flagged' : 'pending',
    complianceNote: flagged
      ? `Flagged automatically: contains prohibited phrase(s) ${evaluation.flaggedPhrases.map((p) => `"${p}"`).join(', ')}.`
      : null,
  };
}

/**
 * Editing sends reviewed work back to draft: it must be submitted and approved again. What readers see
 * does not change, because the published snapshot stays live through content.published_version.
 */
export function statusAfterEdit(status: ContentStatus): ContentStatus {
  return status === 'pending_approval' || status === 'approved' || status === 'published' ? 'draft' : status;
}
