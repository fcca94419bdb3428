import { describe, expect, inject, it } from 'vitest';
import { checkRateLimit, peekRateLimit } from '../../../src/services/rate-limit/check-rate-limit.ts';
import { useHarness } from '../harness.ts';

const { context } = useHarness();
const policy = () => ({ name: `t${crypto.randomUUID().slice(0, 8)}`, limit: 3, windowSeconds: 60 });
const namespace = `rl-unit-${crypto.randomUUID().slice(0, 8)}`;

async function hit(
  overrides: Parameters<typeof context>[0],
  p: ReturnType<typeof policy>,
  identifier: string,
  times: number,
) {
  const ctx = context(overrides);
  const outcomes = [];
  for (let i = 0; i < times; i++)
    outcomes.push(await checkRateLimit({ ctx, input: { policy: p, identifier, namespace } }));
  await ctx.services.dispose();
  return outcomes;
}

describe('rate limits', () => {
  it('counts in Redis per identifier: the limit allows, the next is refused', async () => {
    const p = policy();
    const outcomes = await hit({}, p, 'org-a', 4);
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
    expect(outcomes.map((o) => o.remaining)).toEqual([2, 1, 0, 0]);
    expect(outcomes.every((o) => !o.degraded)).toBe(true);
    expect(outcomes[3]!.resetSeconds).toBeGreaterThan(0);
    expect(outcomes[3]!.resetSeconds).toBeLessThanOrEqual(60);
    // Another identifier under the same policy has its own budget.
    expect((await hit({}, p, 'org-b', 1))[0]!.allowed).toBe(true);
  });

  it('falls back to per-isolate counting with the same limit when Redis refuses connections', async () => {
    const p = policy();
    const outcomes = await hit({ UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' }, p, 'org-a', 4);
    expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false]);
    expect(outcomes.every((o) => o.degraded)).toBe(true);
  });

  it('counts a cost (engagement events) and peeks without counting, in Redis and in the fallback alike', async () => {
    for (const overrides of [{}, { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' }]) {
      const ctx = context(overrides);
      const p = { ...policy(), limit: 10 };
      const take = (cost: number) =>
        checkRateLimit({ ctx, input: { policy: p, identifier: 'token', namespace, cost } });
      const peek = () => peekRateLimit({ ctx, input: { policy: p, identifier: 'token', namespace } });
      expect(await peek()).toMatchObject({ allowed: true, remaining: 10 });
      expect(await take(6)).toMatchObject({ allowed: true, remaining: 4 });
      expect(await peek()).toMatchObject({ allowed: true, remaining: 4 });
      expect(await take(4)).toMatchObject({ allowed: true, remaining: 0 });
      expect(await peek()).toMatchObject({ allowed: false, remaining: 0 });
      expect((await take(1)).allowed).toBe(false);
    }
  });

  it('after Redis timed out once, judges by the fallback for a while without waiting on Redis again', async () => {
    // A path of its own: the isolate remembers an unhealthy Redis per endpoint, and the test below needs a fresh one.
    const overrides = { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${inject('blackHolePort')}/breaker` };
    const first = await hit(overrides, policy(), 'org-a', 1);
    expect(first[0]).toMatchObject({ allowed: true, degraded: true });
    const started = Date.now();
    const again = await hit(overrides, policy(), 'org-a', 3);
    expect(again.every((o) => o.degraded)).toBe(true);
    // Three more checks, none of which waited out the 1 s timeout.
    expect(Date.now() - started).toBeLessThan(500);
  });

  it('falls back when Redis hangs, after the 1 s timeout', async () => {
    const p = policy();
    const started = Date.now();
    const [outcome] = await hit(
      { UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${inject('blackHolePort')}` },
      p,
      'org-a',
      1,
    );
    expect(outcome).toMatchObject({ allowed: true, degraded: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
