/**
 * The reliability scorecard's counters (issue 14, item 5; docs/reliability.md). A test that tries
 * something the scorecard reports (a cross-tenant request, a forged token, a race of writers, an
 * injected fault) says how many it tried and how many went wrong, before it asserts: the counts travel
 * with the test's result (its task meta) to the host, where tests/stack/scorecard-report.ts adds them up
 * and `npm run reliability` prints them. Nothing is counted unless a test ran and said so, so a row
 * nobody filled shows as missing, never as passing.
 */
import { onTestFinished, TestRunner } from 'vitest';
import { addCount, type Scorecard, type ScorecardCount, type ScorecardRow } from './scorecard-rows.ts';

export { SCORECARD_ROWS, type Scorecard, type ScorecardCount, type ScorecardRow } from './scorecard-rows.ts';

declare module 'vitest' {
  interface TaskMeta {
    scorecard?: Scorecard;
  }
}

/** Adds to the running test's row; call it inside a test (not a hook), before the assertions. */
export function score(row: ScorecardRow, count: ScorecardCount): void {
  const test = TestRunner.getCurrentTest();
  if (!test) throw new Error(`score('${row}') outside a test: counts must belong to a test's result`);
  test.meta.scorecard ??= {};
  const card = test.meta.scorecard;
  card[row] ??= { tried: 0, failed: 0 };
  addCount(card[row], count);
}

/**
 * `tried` tries of `row` whose only check is the test itself: counted as failed if the test fails, for tests
 * that prove their case by assertions rather than by counting. Call it at the start of the test.
 */
export function scoreThisTest(row: ScorecardRow, tried = 1): void {
  onTestFinished(({ task }) => {
    task.meta.scorecard ??= {};
    const card = task.meta.scorecard;
    card[row] ??= { tried: 0, failed: 0 };
    addCount(card[row], { tried, failed: task.result?.state === 'fail' ? tried : 0 });
  });
}
