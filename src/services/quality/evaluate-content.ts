import type { ContentType } from '../../db/schema/index.ts';
import type { EditorialPolicy } from '../organizations/policy.ts';

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

/** Quality and compliance screening run on every save. (The scorer lands with the workflow work.) */
export function evaluateContent(_text: ContentText, _policy: EditorialPolicy): Evaluation {
  return { qualityScore: null, qualityBreakdown: null, flaggedPhrases: [] };
}
