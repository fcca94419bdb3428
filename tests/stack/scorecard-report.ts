import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, SerializedError, TestModule } from 'vitest/node';
import { addCount, type Scorecard, type ScorecardCount, type ScorecardRow } from '../worker/scorecard-rows.ts';

/** Where `npm run reliability` wants the run's counts; without it this reporter does nothing. */
export const SCORECARD_FILE_ENV = 'RELIABILITY_SCORECARD_FILE';

export interface ScorecardRowResult extends ScorecardCount {
  /** Test files that counted into the row, with what each counted. */
  files: string[];
  byFile: Record<string, { tried: number; failed: number }>;
  /** Tests that counted into the row and did not pass (a failed assertion, a timeout). */
  testsFailed: number;
}

export interface ScorecardRun {
  rows: Partial<Record<ScorecardRow, ScorecardRowResult>>;
  tests: { passed: number; failed: number; skipped: number };
  unhandledErrors: number;
}

/**
 * Adds up the counters tests attach to their results (tests/worker/scorecard.ts) over the whole run, and
 * writes them as JSON for scripts/reliability.ts. Counts are taken from every test that reported, passed
 * or not: a failing test's counts are what it saw before it failed.
 */
export default class ScorecardReport implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const file = process.env[SCORECARD_FILE_ENV];
    if (!file) return;
    const run: ScorecardRun = {
      rows: {},
      tests: { passed: 0, failed: 0, skipped: 0 },
      unhandledErrors: unhandledErrors.length,
    };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed' || state === 'failed' || state === 'skipped') run.tests[state]++;
        const card: Scorecard = test.meta().scorecard ?? {};
        for (const [row, count] of Object.entries(card) as Array<[ScorecardRow, ScorecardCount]>) {
          run.rows[row] ??= { tried: 0, failed: 0, files: [], byFile: {}, testsFailed: 0 };
          const into = run.rows[row];
          addCount(into, count);
          const file = module.relativeModuleId;
          if (!into.files.includes(file)) into.files.push(file);
          into.byFile[file] ??= { tried: 0, failed: 0 };
          addCount(into.byFile[file], { tried: count.tried, failed: count.failed });
          if (state !== 'passed') into.testsFailed++;
        }
      }
    }
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(run, null, 2)}\n`);
  }
}
