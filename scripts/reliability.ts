/**
 * `npm run reliability [-- --rounds=100 --writers=50 --fuzz-requests=5000]` (`-- --quick`: 5 rounds): runs the tests behind
 * the reliability scorecard (issue 14, item 5) and prints the scorecard from what this run counted. Each
 * test says what it tried and what went wrong (tests/worker/scorecard.ts); the run's report adds it up
 * (tests/stack/scorecard-report.ts). Nothing here is a constant: a row no test filled is shown as missing,
 * and the run fails on it as on a failure. docs/reliability.md keeps a run's table and how each row is made.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './local/paths.ts';
import { isPostgresUp } from './local/postgres.ts';
import { DEFAULT_TEST_DATABASE_URL } from '../tests/stack/plan.ts';
import { SCORECARD_FILE_ENV, type ScorecardRowResult, type ScorecardRun } from '../tests/stack/scorecard-report.ts';
import { SCORECARD_ROWS, type ScorecardRow } from '../tests/worker/scorecard-rows.ts';

interface RowSpec {
  /** What a failure means for the row, as the scorecard says it (the expected figure is 0). */
  expect: string;
  /** The tests that fill it: all are run; one missing from the tree is named in the table. */
  files: string[];
}

const ROWS: Record<ScorecardRow, RowSpec> = {
  tenant: {
    expect: 'leaks: 0',
    files: ['tests/worker/security/tenant-sweep.test.ts', 'tests/worker/security/role-matrix.test.ts'],
  },
  'role-matrix': {
    expect: 'mismatches: 0',
    files: ['tests/worker/security/role-matrix.test.ts', 'tests/worker/security/api-key-matrix.test.ts'],
  },
  'forged-tokens': { expect: 'accepted: 0', files: ['tests/worker/auth/hostile-tokens.test.ts'] },
  'if-match-race': {
    expect: 'rounds without exactly 1 winner: 0',
    files: ['tests/worker/content/if-match-race.test.ts'],
  },
  workflow: { expect: 'illegal accepted: 0', files: ['tests/worker/workflow/property.test.ts'] },
  fuzz: { expect: '5xx: 0', files: ['tests/worker/fuzz'] },
  faults: {
    expect: 'lost or half-done: 0',
    files: [
      'tests/worker/faults',
      'tests/worker/delivery/resilience.test.ts',
      'tests/worker/dead-letters/lost-event.test.ts',
    ],
  },
};

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '100' },
    writers: { type: 'string', default: '50' },
    quick: { type: 'boolean', default: false },
    'fuzz-requests': { type: 'string' },
  },
});
const rounds = values.quick ? '5' : values.rounds!;
const writers = values.writers!;

const outDir = join(ROOT, '.data', 'reliability');
const outJson = join(outDir, 'scorecard.json');
const outTable = join(outDir, 'scorecard.md');
mkdirSync(outDir, { recursive: true });
rmSync(outJson, { force: true });

const files = [...new Set(Object.values(ROWS).flatMap((row) => row.files))];
const present = files.filter((file) => existsSync(join(ROOT, file)));
const absent = new Set(files.filter((file) => !present.includes(file)));

const databaseUrl = process.env.TEST_DATABASE_URL?.trim() || DEFAULT_TEST_DATABASE_URL;
const database =
  process.env.TEST_DB === 'pglite' || !(await isPostgresUp(databaseUrl))
    ? 'embedded PGlite (tests that need PostgreSQL are skipped: the fault sweeps among them)'
    : `PostgreSQL at ${new URL(databaseUrl).host}`;
const loadBefore = loadavg();
const started = new Date();
console.log(
  `[reliability] ${present.length} test files, If-Match race ${rounds} rounds × ${writers} writers, ${database}`,
);

const vitest = spawnSync(
  process.execPath,
  [
    join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
    'run',
    '--project',
    'worker',
    '--silent=passed-only',
    ...present,
  ],
  {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      [SCORECARD_FILE_ENV]: outJson,
      IF_MATCH_ROUNDS: rounds,
      IF_MATCH_WRITERS: writers,
      ...(values['fuzz-requests'] ? { FUZZ_REQUESTS: values['fuzz-requests'] } : {}),
    },
  },
);
const seconds = Math.round((Date.now() - started.getTime()) / 1000);
const loadAfter = loadavg();

if (!existsSync(outJson)) {
  console.error(`[reliability] the run wrote no scorecard (vitest exit ${vitest.status}): nothing to report`);
  process.exit(1);
}
const run = JSON.parse(readFileSync(outJson, 'utf8')) as ScorecardRun;

type Verdict = 'ok' | 'FAILED' | 'MISSING';
function verdict(result: ScorecardRowResult | undefined): Verdict {
  if (!result || result.tried === 0) return 'MISSING';
  return result.failed === 0 && result.testsFailed === 0 ? 'ok' : 'FAILED';
}

const figuresOf = (result: ScorecardRowResult | undefined) =>
  Object.entries(result?.figures ?? {})
    .map(([name, value]) => `${name} ${value}`)
    .join(', ');

const lines = (Object.keys(ROWS) as ScorecardRow[]).map((row) => {
  const result = run.rows[row];
  const v = verdict(result);
  const missingFiles = ROWS[row].files.filter((file) => absent.has(file));
  const note = [
    figuresOf(result),
    result?.testsFailed ? `${result.testsFailed} counting test(s) failed` : '',
    v === 'MISSING' && missingFiles.length > 0 ? `not in this tree: ${missingFiles.join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return { row, v, cells: [SCORECARD_ROWS[row], result?.tried ?? 0, result?.failed ?? 0, ROWS[row].expect, v, note] };
});

const commit = (() => {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${sha} (with uncommitted changes)` : sha;
  } catch {
    return 'unknown';
  }
})();
const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
const { passed, failed, skipped } = run.tests;
const header = [
  `Run ${started.toISOString()}, commit ${commit}, ${seconds} s; ${cpus().length} CPUs, ` +
    `load average ${load(loadBefore)} before, ${load(loadAfter)} after.`,
  `${database}. If-Match race: ${rounds} rounds × ${writers} concurrent PUTs. ` +
    `Tests: ${passed} passed, ${failed} failed, ${skipped} skipped; vitest exit ${vitest.status}.`,
];
const table = [
  '| what (tried / failed) | tried | failed | expected | result | notes |',
  '| --- | ---: | ---: | --- | --- | --- |',
  ...lines.map(({ cells }) => `| ${cells.join(' | ')} |`),
];
const sources = [
  '| row | test file | tried | failed |',
  '| --- | --- | ---: | ---: |',
  ...(Object.keys(ROWS) as ScorecardRow[]).flatMap((row) =>
    Object.entries(run.rows[row]?.byFile ?? {}).map(([file, n]) => `| ${row} | ${file} | ${n.tried} | ${n.failed} |`),
  ),
];
writeFileSync(outTable, `${[...header, '', ...table, '', ...sources].join('\n')}\n`);
console.log(`\n[reliability] scorecard\n${header.join('\n')}\n\n${table.join('\n')}\n\n${sources.join('\n')}\n`);
console.log(`[reliability] written to ${outTable} and ${outJson}`);

const bad = lines.filter((line) => line.v !== 'ok');
if (bad.length > 0 || vitest.status !== 0 || run.unhandledErrors > 0) {
  console.error(
    `[reliability] not clean: ${bad.map((line) => `${line.row} ${line.v}`).join(', ') || 'every row ok'}; vitest exit ${vitest.status}`,
  );
  process.exit(1);
}
