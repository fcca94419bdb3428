import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { queueObserver } from '../../../workers/queue.ts';
import { call, useHarness } from '../harness.ts';
import { MUTATIONS } from './mutations.ts';
import { operationsOf, type OpenApiDocument } from './operations.ts';
import { CALLER_SCALE, newLane, runCase, type FuzzCase, type Lane } from './run-case.ts';
import { buildWorld, type World } from './world.ts';
import { score } from '../scorecard.ts';

/**
 * OpenAPI-driven fuzzing (ADR 0033): requests generated from /openapi.json, valid and broken, for every
 * operation and caller; every response must keep the invariants in invariants.ts and run-case.ts.
 * Repeat a run with `FUZZ_SEED=<seed> npm test -- tests/worker/fuzz`; go long with
 * `npm run fuzz -- --requests=100000 --seed=<seed>`.
 */

const seed = inject('fuzzSeed');
const requests = inject('fuzzRequests');
// PGlite serves one session at a time: lanes would only queue behind each other (as in ADR 0028's property test).
const lanes = inject('databaseKind') === 'pglite' ? 1 : Math.min(inject('fuzzLanes'), Math.max(1, requests));
const h = useHarness();
let world: World;

const weighted = <T>(...pairs: Array<[number, fc.Arbitrary<T>]>) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

function caseArbitrary(w: World): fc.Arbitrary<FuzzCase> {
  // noBias: fast-check favours small numbers, which here would mean the first operations and callers.
  return fc.record({
    op: fc.noBias(fc.nat({ max: w.operations.length - 1 })),
    caller: fc.noBias(fc.nat({ max: CALLER_SCALE - 1 })),
    target: weighted<FuzzCase['target']>(
      [12, fc.constant('own')],
      [5, fc.constant('foreign')],
      [3, fc.constant('random')],
    ),
    // Shrinks towards 0, the request as generated: a failure that needs no mutation says so.
    mutation: weighted([1, fc.constant(0)], [1, fc.noBias(fc.nat({ max: MUTATIONS.length - 1 }))]),
    twice: weighted([9, fc.constant(false)], [1, fc.constant(true)]),
    seed: fc.noBias(fc.nat()),
  });
}

async function runLane(index: number, numRuns: number): Promise<{ lane: Lane; report?: string }> {
  const lane = newLane();
  const laneSeed = seed + index;
  const context = { world, maxBodyBytes: loadConfig(env).maxBodyBytes, badCredentials: world.badCredentials };
  const details = await fc.check(
    fc.asyncProperty(caseArbitrary(world), (c) => runCase(world, lane, context, c)),
    { seed: laneSeed, numRuns },
  );
  if (!details.failed) return { lane };
  const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
  const report = [
    `lane ${index}: fast-check seed ${laneSeed}, path "${details.counterexamplePath}", shrunk ${details.numShrinks} times`,
    `  case ${JSON.stringify(details.counterexample?.[0])}`,
    `  this lane alone: FUZZ_LANES=1 FUZZ_SEED=${laneSeed} FUZZ_REQUESTS=${details.numRuns} npm test -- tests/worker/fuzz`,
    error,
  ].join('\n');
  return { lane, report };
}

function merged(results: Lane[], pick: (lane: Lane) => Map<string, Map<number, number>>) {
  const all = new Map<string, Map<number, number>>();
  for (const lane of results) {
    for (const [key, counts] of pick(lane)) {
      const into = all.get(key) ?? new Map<number, number>();
      for (const [status, n] of counts) into.set(status, (into.get(status) ?? 0) + n);
      all.set(key, into);
    }
  }
  return all;
}

const row = ([key, counts]: [string, Map<number, number>]) =>
  `  ${key}: ${[...counts]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')}`;

function summary(results: Lane[], ms: number): string {
  const statuses = merged(results, (lane) => lane.statuses);
  const sent = results.reduce((n, lane) => n + lane.requests, 0);
  const never2xx = world.operations
    .filter((op) => ![...(statuses.get(op.operationId)?.keys() ?? [])].some((s) => s < 300))
    .map((op) => op.operationId);
  return [
    `[fuzz] ${sent} requests in ${(ms / 1000).toFixed(1)} s (${Math.round(sent / (ms / 1000))}/s), ${lanes} lanes`,
    `[fuzz] operations never answered 2xx/3xx: ${never2xx.join(', ') || 'none'}`,
    `[fuzz] the fuzzed organization's queue events: ${acked} handled, failed (retried): ${JSON.stringify(Object.fromEntries(retried))}`,
    '[fuzz] statuses by operation:',
    ...[...statuses].map(row),
    '[fuzz] statuses by caller:',
    ...[...merged(results, (lane) => lane.byCaller)].map(row),
  ].join('\n');
}

/**
 * Queue handler failures on A's events while fuzzing (the consumer retries them). Not an invariant of the
 * HTTP answers, so reported rather than failed on: a retry can be legitimate (at-least-once delivery).
 */
const retried = new Map<string, number>();
let acked = 0;
function watchQueue(organizationId: string) {
  const previous = queueObserver.settled;
  queueObserver.settled = (event, outcome) => {
    previous?.(event, outcome);
    if (event.organizationId !== organizationId) return;
    if (outcome === 'acked') acked++;
    else retried.set(event.type, (retried.get(event.type) ?? 0) + 1);
  };
}

describe('OpenAPI fuzzing', () => {
  beforeAll(async () => {
    const res = await call('/openapi.json');
    const operations = operationsOf((await res.json()) as OpenApiDocument);
    world = await buildWorld(h, operations);
    watchQueue(world.tenant.id);
  }, 120_000);

  it(
    `${requests} generated requests keep every invariant (seed ${seed})`,
    async () => {
      console.log(`[fuzz] FUZZ_SEED=${seed}, ${requests} requests over ${world.operations.length} operations`);
      const started = Date.now();
      const perLane = Math.ceil(requests / lanes);
      const results = await Promise.all(Array.from({ length: lanes }, (_, i) => runLane(i, perLane)));
      console.log(
        summary(
          results.map((r) => r.lane),
          Date.now() - started,
        ),
      );
      // The reliability scorecard's fuzz row (docs/reliability.md): every status was recorded before any check.
      const sent = results.reduce((n, r) => n + r.lane.requests, 0);
      const serverErrors = results
        .flatMap((r) => [...r.lane.statuses.values()].flatMap((byStatus) => [...byStatus]))
        .reduce((n, [status, times]) => (status >= 500 ? n + times : n), 0);
      score('fuzz', { tried: sent, failed: serverErrors });
      const failures = results.flatMap((r) => (r.report ? [r.report] : []));
      if (failures.length > 0) {
        throw new Error(`FUZZ_SEED=${seed} reproduces this run.\n\n${failures.join('\n\n')}`);
      }
      expect(results.reduce((n, r) => n + r.lane.requests, 0)).toBeGreaterThanOrEqual(requests);
    },
    // Generous: a loaded 2-core machine answers a few dozen requests a second, a long campaign runs for hours.
    60_000 + requests * 200,
  );
});
