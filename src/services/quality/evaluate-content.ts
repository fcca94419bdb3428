import type { ContentType } from '../../db/schema/index.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';
import {
  bodyLengthCriterion,
  readabilityCriterion,
  round1,
  structureCriterion,
  titleCriterion,
  type Criterion,
} from './criteria.ts';
import { containsText, findPhrases } from './phrase-matching.ts';
import { textStats } from './text-stats.ts';

export interface ContentText {
  type: ContentType;
  title: string;
  body: string;
}

export interface Evaluation {
  /** 0–10, deterministic for the same text and policy. */
  qualityScore: number | null;
  qualityBreakdown: Record<string, unknown> | null;
  /** Prohibited phrases of the policy found in the text (as the policy spells them). */
  flaggedPhrases: string[];
}

/** Stored with every breakdown, so a score can be read against the rules that produced it. */
export const SCORER = 'contentos-quality/1';

/** Content of these types must carry the organization's required disclaimer, if it has one. */
export const DISCLAIMER_TYPES: readonly ContentType[] = ['market_update', 'news_analysis'];
/** A missing required disclaimer caps the score here: below the default approval threshold of 7, whatever the prose. */
export const DISCLAIMER_CAP = 5;

export type QualityBreakdown = {
  scorer: string;
  criteria: Criterion[];
  /** The sum of the criteria, before any cap. */
  subtotal: number;
  cap: { limit: number; reason: string } | null;
  /** The quality score: the subtotal, capped. */
  total: number;
};

/** Null when the type or the organization requires no disclaimer. */
export function disclaimerCheck(
  text: ContentText,
  policy: EditorialPolicy,
): { present: boolean; criterion: Criterion } | null {
  const disclaimer = policy.requiredDisclaimer?.trim();
  if (!disclaimer || !DISCLAIMER_TYPES.includes(text.type)) return null;
  const present = containsText(text.body, disclaimer);
  const detail = present
    ? 'the required disclaimer is present'
    : `the required disclaimer is missing: the score is capped at ${DISCLAIMER_CAP}`;
  return { present, criterion: { name: 'disclaimer', score: 0, max: 0, detail } };
}

/** The quality score and how it was reached. Pure: the same text and policy always give the same result. */
export function scoreQuality(text: ContentText, policy: EditorialPolicy): QualityBreakdown {
  const stats = textStats(text.body);
  const disclaimer = disclaimerCheck(text, policy);
  const criteria = [
    titleCriterion(text.title),
    bodyLengthCriterion(stats),
    structureCriterion(stats),
    readabilityCriterion(stats),
    ...(disclaimer ? [disclaimer.criterion] : []),
  ];
  // Criteria are rounded first, so the total is exactly the sum a reader of the breakdown would add up.
  const subtotal = round1(criteria.reduce((sum, c) => sum + c.score, 0));
  const cap =
    disclaimer && !disclaimer.present
      ? { limit: DISCLAIMER_CAP, reason: `${text.type} content must include the organization's required disclaimer` }
      : null;
  return { scorer: SCORER, criteria, subtotal, cap, total: cap ? Math.min(subtotal, cap.limit) : subtotal };
}

/** Quality and compliance screening run on every save. */
export function evaluateContent(text: ContentText, policy: EditorialPolicy): Evaluation {
  const breakdown = scoreQuality(text, policy);
  return {
    qualityScore: breakdown.total,
    qualityBreakdown: breakdown,
    flaggedPhrases: findPhrases([text.title, text.body], policy.prohibitedPhrases),
  };
}
