/**
 * `npm test`: with no arguments, the worker and node projects, then the browser suite on its own. The browser
 * suite starts the whole product and drives Chromium; beside the Worker tests on a 2-core machine it slowed
 * them past their own timeouts (vitest's `sequence.groupOrder` did not keep the projects apart). With
 * arguments (`npm test -- tests/worker/content`, `npm test -- --project browser`) it is one plain `vitest run`.
 */
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const run = (vitestArgs: string[]) =>
  spawnSync('vitest', ['run', ...vitestArgs], { stdio: 'inherit', env: process.env }).status ?? 1;

if (args.length > 0) process.exit(run(args));
const fast = run(['--project', 'worker', '--project', 'node']);
const browser = run(['--project', 'browser']);
process.exit(fast !== 0 ? fast : browser);
