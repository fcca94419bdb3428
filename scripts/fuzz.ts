/**
 * `npm run fuzz -- --requests=100000 --seed=N [--lanes=4]`: a long fuzz campaign. It runs the same test
 * file CI runs (tests/worker/fuzz, ADR 0033) with a bigger budget; a seed repeats a run, none picks one
 * and prints it. The campaign takes roughly requests ÷ 100 seconds on a 2-core machine.
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

function fail(message: string): never {
  console.error(`fuzz: ${message}`);
  console.error('usage: npm run fuzz -- [--requests=N] [--seed=N] [--lanes=N]');
  process.exit(2);
}

const { values } = parseArgs({
  options: { requests: { type: 'string' }, seed: { type: 'string' }, lanes: { type: 'string' } },
  strict: true,
});

const env: Record<string, string> = {};
for (const [flag, name] of [
  ['requests', 'FUZZ_REQUESTS'],
  ['seed', 'FUZZ_SEED'],
  ['lanes', 'FUZZ_LANES'],
] as const) {
  const value = values[flag];
  if (value === undefined) continue;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) fail(`--${flag} must be a whole number`);
  env[name] = value;
}

// npm puts node_modules/.bin first on PATH, so this is the project's vitest under the project's Node.
const child = spawn('vitest', ['run', 'tests/worker/fuzz'], { stdio: 'inherit', env: { ...process.env, ...env } });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
