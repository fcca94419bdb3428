/**
 * Seed and budget of the OpenAPI fuzz test (tests/worker/fuzz), read once in Node where the environment is
 * and handed to the Worker tests with vitest's `provide`: `FUZZ_SEED=N npm test -- tests/worker/fuzz`
 * repeats a run, `npm run fuzz -- --requests=100000 --seed=N` is a long campaign (scripts/fuzz.ts).
 */
declare module 'vitest' {
  export interface ProvidedContext {
    fuzzSeed: number;
    /** Generated requests in all (each may be followed by a twin request: see the ADR 0033). */
    fuzzRequests: number;
    /** Independent fast-check runs working at once, each from its own seed derived from fuzzSeed. */
    fuzzLanes: number;
  }
}

/** What CI runs: enough for every operation to meet every caller, short enough for one test file. */
export const CI_FUZZ_REQUESTS = 5_000;
const DEFAULT_LANES = 4;

function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${value}`);
  return n;
}

export function fuzzSettings(env: Record<string, string | undefined> = process.env) {
  return {
    // A 31-bit seed: fast-check takes any 32-bit integer, and it prints and pastes the same everywhere.
    fuzzSeed: positiveInteger('FUZZ_SEED', env.FUZZ_SEED) ?? Math.floor(Math.random() * 0x7fffffff),
    fuzzRequests: positiveInteger('FUZZ_REQUESTS', env.FUZZ_REQUESTS) ?? CI_FUZZ_REQUESTS,
    fuzzLanes: Math.max(1, positiveInteger('FUZZ_LANES', env.FUZZ_LANES) ?? DEFAULT_LANES),
  };
}
