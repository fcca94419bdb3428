import { lineDiff, type LineOp } from './line-diff.ts';

export type FieldChange = {
  field: string;
  before: unknown;
  after: unknown;
  lines?: LineOp[];
  linesTruncated?: boolean;
};

/**
 * Fields never reported: `version` is the diff's own from/to, and `qualityBreakdown` is derived from the
 * text (its outcome, qualityScore, is reported); read a single version for the full breakdown.
 */
export const IGNORED_FIELDS: ReadonlySet<string> = new Set(['version', 'qualityBreakdown']);

// The order a reader expects: what was written first, then the workflow state; unknown fields after, by name.
const FIELD_ORDER = [
  'type',
  'title',
  'body',
  'platforms',
  'status',
  'qualityScore',
  'complianceStatus',
  'complianceNote',
  'scheduledAt',
  'publishedAt',
  'publishedVersion',
  'creatorId',
];

/** Structural equality of JSON values (jsonb does not keep key order, so strings of them cannot be compared). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every(
      (key) =>
        Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

const rank = (field: string) => {
  const index = FIELD_ORDER.indexOf(field);
  return index === -1 ? FIELD_ORDER.length : index;
};

/** Every snapshot field whose value differs, a field missing on one side being null; the body also as a line diff. */
export function diffSnapshots(before: Record<string, unknown>, after: Record<string, unknown>): FieldChange[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((field) => !IGNORED_FIELDS.has(field))
    .sort((x, y) => rank(x) - rank(y) || x.localeCompare(y));
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const b = before[field] ?? null;
    const a = after[field] ?? null;
    if (sameJson(b, a)) continue;
    if (field === 'body') {
      const { lines, truncated } = lineDiff(typeof b === 'string' ? b : '', typeof a === 'string' ? a : '');
      changes.push({ field, before: b, after: a, lines, linesTruncated: truncated });
    } else {
      changes.push({ field, before: b, after: a });
    }
  }
  return changes;
}
