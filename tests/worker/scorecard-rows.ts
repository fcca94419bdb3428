/**
 * The rows of the reliability scorecard and how counts add up: shared by the tests (scorecard.ts) and the
 * host's report (tests/stack/scorecard-report.ts), so it imports nothing of vitest's runtime.
 */
export const SCORECARD_ROWS = {
  tenant: 'requests across tenants / leaks',
  'role-matrix': 'role-matrix cells checked / mismatches',
  'forged-tokens': 'forged tokens tried / accepted',
  'if-match-race': 'If-Match races (rounds) / rounds without exactly one winner',
  workflow: 'workflow transitions tried / illegal ones accepted',
  fuzz: 'fuzzed requests / 5xx',
  faults: 'faults injected / events lost or writes half-done',
} as const;

export type ScorecardRow = keyof typeof SCORECARD_ROWS;

export interface ScorecardCount {
  tried: number;
  failed: number;
  /** Further figures of the row, added up like the counts (e.g. PUTs sent, winners). */
  figures?: Record<string, number>;
}

export type Scorecard = Partial<Record<ScorecardRow, ScorecardCount>>;

/** Adds `count` into `into` (the host's report adds the tests' counts up the same way). */
export function addCount(into: ScorecardCount, count: ScorecardCount): void {
  into.tried += count.tried;
  into.failed += count.failed;
  for (const [name, value] of Object.entries(count.figures ?? {})) {
    into.figures ??= {};
    into.figures[name] = (into.figures[name] ?? 0) + value;
  }
}
