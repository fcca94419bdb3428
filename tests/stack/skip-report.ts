import type { Reporter, TestModule } from 'vitest/node';

/** The tag of tests that need a real PostgreSQL (vitest.config.ts skips them on embedded PGlite). */
export const POSTGRES_TAG = 'postgres';

/**
 * Says at the end of a run which tests did not run for want of PostgreSQL, so a PGlite run never
 * passes for a complete one. CI never gets here with skips: it refuses to start without PostgreSQL
 * (tests/stack/plan.ts).
 */
export default class SkipReport implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const skipped: string[] = [];
    let tagged = 0;
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        if (!test.tags.includes(POSTGRES_TAG)) continue;
        tagged++;
        if (test.result().state === 'skipped') skipped.push(`${module.relativeModuleId} > ${test.fullName}`);
      }
    }
    if (tagged === 0) return;
    if (skipped.length === 0) return void console.log(`\n[tests] tests that need PostgreSQL: all ${tagged} ran`);
    console.log(`\n[tests] skipped without PostgreSQL: ${skipped.length}`);
    for (const name of skipped) console.log(`  - ${name}`);
  }
}
