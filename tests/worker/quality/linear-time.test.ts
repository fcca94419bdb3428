import { describe, expect, it } from 'vitest';
import { evaluateContent } from '../../../src/services/quality/evaluate-content.ts';
import type { EditorialPolicy } from '../../../src/services/organizations/policy.ts';
import { ASCII_PUNCTUATION, adversarialBodies, normalBody } from './adversarial-text.ts';

// Everything a save runs on the text: statistics, the disclaimer search and the phrase search.
const policy: EditorialPolicy = {
  approvalThreshold: 7,
  prohibitedPhrases: ['guaranteed returns', 'risk-free', 'a a a a a a a a a b'],
  requiredDisclaimer: 'Not investment advice. Capital at risk.',
};

/** Milliseconds to screen one body (workerd has no CPU clock; its wall clock does advance while code runs). */
function screeningTime(body: string): number {
  const started = performance.now();
  evaluateContent({ type: 'market_update', title: 'Rates on hold: what the decision means', body }, policy);
  return performance.now() - started;
}

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * A linear budget: 8 s per MiB (and 200 ms to start). Unloaded, the slowest body here takes about 0.3 s per
 * MiB and prose 0.06 s; on a busy machine in workerd, up to 3 s. The quadratic regexes blew it by far: at
 * 64 KiB a run of dots took over 5 s, and a MiB of `[` took 20 s even with workerd's fast scanning loops.
 */
const budgetMs = (body: string) => 200 + (8_000 * body.length) / MiB;

/** The best of up to three tries: a busy machine can stall one of them, not all three. */
function bestTime(body: string): number {
  let best = Infinity;
  for (let i = 0; i < 3 && best >= budgetMs(body); i++) best = Math.min(best, screeningTime(body));
  return best;
}

/** 64 KiB first: a quadratic regression fails there in seconds instead of running for hours on the large body. */
function expectLinear(bodyOf: (size: number) => string, size: number) {
  expectWithinBudget([bodyOf(64 * KiB), bodyOf(size)]);
}

function expectWithinBudget(bodies: string[]) {
  for (const body of bodies) expect(bestTime(body), `${body.length} characters`).toBeLessThan(budgetMs(body));
}

describe('the scorer takes time linear in the text, whatever the text', () => {
  it('screens ordinary prose of 1 MiB within the budget', () => {
    expectLinear(normalBody, MiB);
  });

  const small = adversarialBodies(64 * KiB);
  it.each(adversarialBodies(128 * KiB).map(({ name, body }, i) => [name, small[i]!.body, body]))(
    '%s (128 KiB) within the budget',
    (_name, smallBody, body) => {
      expectWithinBudget([smallBody, body]);
    },
  );

  it.each([...`${ASCII_PUNCTUATION}a \n`])('1 MiB of %j within the budget', (ch) => {
    expectLinear((size) => ch.repeat(size), MiB);
  });

  it.each([
    ['a, a MiB of dots, x', (size: number) => `a${'.'.repeat(size)}x`],
    ['a MiB of [a](', (size: number) => '[a]('.repeat(size / 4)],
    ['a MiB of ![', (size: number) => '!['.repeat(size / 2)],
  ])('%s within the budget', (_name, bodyOf) => {
    expectLinear(bodyOf, MiB);
  });
});
