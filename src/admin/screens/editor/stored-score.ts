/**
 * The score as the last save stored it, in the shape the dry run returns, for people who may not write
 * content (the dry run is theirs to call only if they could save the text).
 */
import type { Schemas } from '../../api/client.ts';
import type { ContentScore } from './QualitySidebar.tsx';

const DISCLAIMER_TYPES = ['market_update', 'news_analysis'];

export function storedScore(
  item: Schemas['Content'],
  policy: Schemas['EditorialPolicy'] | undefined,
): ContentScore | undefined {
  const breakdown = item.qualityBreakdown as ContentScore['qualityBreakdown'] | null;
  if (!breakdown || item.qualityScore === null || !policy) return undefined;
  const disclaimer = breakdown.criteria.find((c) => c.name === 'disclaimer');
  const flagged = item.complianceStatus === 'flagged' && item.complianceNote?.startsWith('Flagged automatically');
  const phrases = flagged ? [...(item.complianceNote ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1]!) : [];
  const threshold = policy.approvalThreshold;
  return {
    qualityScore: item.qualityScore,
    qualityBreakdown: breakdown,
    complianceStatus: item.complianceStatus === 'flagged' ? 'flagged' : 'pending',
    complianceNote: item.complianceNote,
    prohibitedPhrases: phrases.map((phrase) => ({ phrase, title: [], body: [] })),
    disclaimer: {
      required: Boolean(disclaimer) || (Boolean(policy.requiredDisclaimer) && DISCLAIMER_TYPES.includes(item.type)),
      text: policy.requiredDisclaimer ?? null,
      present: disclaimer ? !disclaimer.detail.includes('missing') : null,
    },
    approvalThreshold: threshold,
    meetsThreshold: item.qualityScore >= threshold,
  };
}
