/**
 * The quality scorer's cost per MiB of text, as a pure function in this process (no server): ordinary
 * prose against the adversarial corpus the tests guard (tests/worker/quality/adversarial-text.ts), in CPU
 * time, so other processes on the machine inflate it as little as possible. Every save runs this inside
 * its transaction; hostile text must cost a small multiple of prose, never a power of it
 * (docs/decisions/0025-linear-text-scanning.md).
 */
import { evaluateContent } from '../src/services/quality/evaluate-content.ts';
import type { EditorialPolicy } from '../src/services/organizations/policy.ts';
import { adversarialBodies, normalBody } from '../tests/worker/quality/adversarial-text.ts';

const MiB = 1024 * 1024;
/** Adversarial bodies are scored at this size: large enough to show quadratic time, small enough to stay fast. */
const ADVERSARIAL_SIZE = MiB / 4;
/** The slowest few are measured twice more, so one stalled run cannot pose as the worst case. */
const RECHECKED = 5;

// A policy that makes every save-time scan run: phrases and a disclaimer to look for.
const policy: EditorialPolicy = {
  approvalThreshold: 7,
  prohibitedPhrases: ['guaranteed returns', 'risk-free', 'no downside'],
  requiredDisclaimer: 'Not investment advice. Capital at risk.',
};

export interface ScoringResult {
  normalMsPerMiB: number;
  adversarialMsPerMiB: number;
  worst: string;
  bodies: number;
  adversarialKiB: number;
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** CPU milliseconds per MiB of UTF-8 (what a request carries), the best of `tries`. */
function msPerMiB(body: string, tries: number): number {
  let best = Infinity;
  for (let i = 0; i < tries; i++) {
    const started = cpuMs();
    evaluateContent({ type: 'market_update', title: 'Rates on hold: what the decision means', body }, policy);
    best = Math.min(best, cpuMs() - started);
  }
  return (best * MiB) / Buffer.byteLength(body);
}

export function measureScoring(): ScoringResult {
  const prose = normalBody(MiB);
  msPerMiB(prose, 2);
  const normalMsPerMiB = msPerMiB(prose, 5);
  const bodies = adversarialBodies(ADVERSARIAL_SIZE);
  const slowest = bodies
    .map((b) => ({ ...b, ms: msPerMiB(b.body, 1) }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, RECHECKED)
    .map((b) => ({ ...b, ms: Math.min(b.ms, msPerMiB(b.body, 2)) }))
    .sort((a, b) => b.ms - a.ms);
  return {
    normalMsPerMiB,
    adversarialMsPerMiB: slowest[0]!.ms,
    worst: slowest[0]!.name,
    bodies: bodies.length,
    adversarialKiB: ADVERSARIAL_SIZE / 1024,
  };
}

export const renderScoring = (r: ScoringResult) =>
  `quality scoring: normal ${r.normalMsPerMiB.toFixed(0)} ms/MiB, adversarial ${r.adversarialMsPerMiB.toFixed(0)} ` +
  `ms/MiB (worst of ${r.bodies} bodies of ${r.adversarialKiB} KiB: ${r.worst}; CPU time)`;
