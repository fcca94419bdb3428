import { describe, expect, it } from 'vitest';
import { checkRateLimit, peekRateLimit } from '../../../src/services/rate-limit/check-rate-limit.ts';
import { checkRateLimitAtEdge } from '../../../src/services/rate-limit/edge-rate-limit.ts';
import { useHarness } from '../harness.ts';

const { context } = useHarness();
const namespace = `rl-edge-${crypto.randomUUID().slice(0, 8)}`;
const input = (limit: number) => ({
  policy: { name: `e${crypto.randomUUID().slice(0, 8)}`, limit, windowSeconds: 60 },
  identifier: 'client',
  namespace,
});

describe('rate limits decided at the edge (the delivery API)', () => {
  it('lets exactly the limit through in one isolate, and every request it let through is counted in Redis', async () => {
    const ctx = context();
    const window = input(5);
    const outcomes = [];
    for (let i = 0; i < 7; i++) outcomes.push(await checkRateLimitAtEdge({ ctx, input: window }));
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, true, true, false, false]);
    expect(outcomes.map((o) => o.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0]);
    await ctx.services.dispose(); // the reports made after each response
    expect(await peekRateLimit({ ctx: context(), input: window })).toMatchObject({ allowed: false, remaining: 0 });
  });

  it("asks Redis again once its answer is a second old, and then sees other isolates' requests", async () => {
    const ctx = context();
    const window = input(3);
    expect((await checkRateLimitAtEdge({ ctx, input: window })).allowed).toBe(true);
    // Another isolate uses the rest of the window.
    for (let i = 0; i < 2; i++) expect((await checkRateLimit({ ctx: context(), input: window })).allowed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await checkRateLimitAtEdge({ ctx, input: window })).toMatchObject({ allowed: false, degraded: false });
  });

  it('keeps deciding, with the same limit, when Redis is unreachable', async () => {
    const ctx = context({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' });
    const window = input(2);
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push(await checkRateLimitAtEdge({ ctx, input: window }));
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, false]);
    expect(outcomes.every((o) => o.degraded)).toBe(true);
  });
});
