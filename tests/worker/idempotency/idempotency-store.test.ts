import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { idempotencyKeys } from '../../../src/db/schema/index.ts';
import {
  claimIdempotencyKey,
  completeIdempotencyKey,
  purgeExpiredIdempotencyKeys,
  releaseIdempotencyKey,
} from '../../../src/services/idempotency/idempotency-store.ts';
import { ORG_ID } from '../auth.ts';
import { useHarness } from '../harness.ts';

const { ctx } = useHarness();

const scope = () => ({
  organizationId: ORG_ID.demo,
  principalId: crypto.randomUUID(),
  key: `k-${crypto.randomUUID()}`,
});
const age = (s: { principalId: string; key: string }, column: 'expires_at' | 'locked_until') =>
  ctx.services.db.execute(
    sql`update idempotency_keys set ${sql.raw(column)} = now() - interval '1 second' where principal_id = ${s.principalId} and key = ${s.key}`,
  );

describe('idempotency store', () => {
  it('claims a new key once; a repeat is in flight until completed, then replays', async () => {
    const s = scope();
    const claim = await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h1' } });
    expect(claim).toEqual({ kind: 'claimed', ownerToken: expect.any(String) });
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h1' } })).toEqual({ kind: 'in_flight' });
    const ownerToken = claim.kind === 'claimed' ? claim.ownerToken : '';
    const completed = await completeIdempotencyKey({
      ctx,
      input: { ...s, ownerToken, status: 201, headers: { location: '/x' }, body: '{"id":1}' },
    });
    expect(completed).toBe(true);
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h1' } })).toEqual({
      kind: 'replay',
      status: 201,
      headers: { location: '/x' },
      body: '{"id":1}',
    });
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h2' } })).toEqual({ kind: 'mismatch' });
  });

  it('scopes keys per principal and organization', async () => {
    const s = scope();
    expect((await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } })).kind).toBe('claimed');
    expect(
      (await claimIdempotencyKey({ ctx, input: { ...s, principalId: crypto.randomUUID(), requestHash: 'h' } })).kind,
    ).toBe('claimed');
    expect(
      (await claimIdempotencyKey({ ctx, input: { ...s, organizationId: ORG_ID.globex, requestHash: 'h' } })).kind,
    ).toBe('claimed');
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const s = scope();
    const results = await Promise.all(
      Array.from({ length: 10 }, () => claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } })),
    );
    expect(results.filter((r) => r.kind === 'claimed')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'in_flight')).toHaveLength(9);
  });

  it('treats an expired record as absent, even for a different request', async () => {
    const s = scope();
    const claim = await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'old' } });
    const ownerToken = claim.kind === 'claimed' ? claim.ownerToken : '';
    await completeIdempotencyKey({ ctx, input: { ...s, ownerToken, status: 201, headers: {}, body: 'old' } });
    await age(s, 'expires_at');
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'new' } })).toEqual({
      kind: 'claimed',
      ownerToken: expect.any(String),
    });
  });

  it('lets a retry of the same request take over an abandoned in-flight claim, but not a different request', async () => {
    const s = scope();
    await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } });
    await age(s, 'locked_until');
    expect((await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'other' } })).kind).toBe('mismatch');
    expect((await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } })).kind).toBe('claimed');
  });

  it('keeps a taken-over claim for the retry: the slow first request can neither complete nor release it', async () => {
    const s = scope();
    const first = await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } });
    await age(s, 'locked_until');
    const retry = await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } });
    if (first.kind !== 'claimed' || retry.kind !== 'claimed') throw new Error('both claims should have succeeded');
    expect(retry.ownerToken).not.toBe(first.ownerToken);

    const late = { ...s, ownerToken: first.ownerToken };
    expect(await completeIdempotencyKey({ ctx, input: { ...late, status: 201, headers: {}, body: 'first' } })).toBe(
      false,
    );
    await releaseIdempotencyKey({ ctx, input: late });
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } })).toEqual({ kind: 'in_flight' });

    const owned = { ...s, ownerToken: retry.ownerToken };
    expect(await completeIdempotencyKey({ ctx, input: { ...owned, status: 201, headers: {}, body: 'retry' } })).toBe(
      true,
    );
    expect(await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } })).toMatchObject({ body: 'retry' });
  });

  it('releases a failed first attempt so the same key can be used again', async () => {
    const s = scope();
    const claim = await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'bad body' } });
    await releaseIdempotencyKey({ ctx, input: { ...s, ownerToken: claim.kind === 'claimed' ? claim.ownerToken : '' } });
    expect((await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'fixed body' } })).kind).toBe('claimed');
  });

  it('purges expired records', async () => {
    const s = scope();
    await claimIdempotencyKey({ ctx, input: { ...s, requestHash: 'h' } });
    await age(s, 'expires_at');
    expect(await purgeExpiredIdempotencyKeys({ ctx })).toBeGreaterThanOrEqual(1);
    const left = await ctx.services.db.select().from(idempotencyKeys).where(sql`principal_id = ${s.principalId}`);
    expect(left).toEqual([]);
  });
});
