import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mfaVerifications } from '../../../src/db/schema/index.ts';
import { sha256Hex } from '../../../src/lib/sha256.ts';
import { readProblem, useHarness } from '../harness.ts';
import { ANY_MEMBER_ROUTE, codeFor, enrol, freshStep, get, verify, withoutMfa } from './fixtures.ts';

const h = useHarness();
const tenant = h.useTenant();
const recent = h.useTenant({ mfaMaxAgeSeconds: 300 });

const digestOf = (headers: Record<string, string>) => sha256Hex(headers.authorization!.slice('Bearer '.length));

/** An org_admin of its own (own rate-limit budget), enrolled with a token that is then verified; two more tokens without MFA. */
async function enrolledAdmin(organizationId = tenant.id) {
  const admin = await h.insertUser(organizationId, 'org_admin', { bound: true });
  const enrolling = await withoutMfa(admin);
  const factor = await enrol(enrolling);
  return { admin, factor, enrolling, other: await withoutMfa(admin), third: await withoutMfa(admin) };
}

describe('POST /api/v1/me/mfa/verify', () => {
  it('a current code makes this token multi-factor until it expires; other tokens of the user are not', async () => {
    const { admin, factor, other, third } = await enrolledAdmin();
    expect((await get(ANY_MEMBER_ROUTE, other)).status).toBe(401);
    const res = await verify(other, { code: await codeFor(factor.secret) });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as {
      method: string;
      verifiedAt: string;
      expiresAt: string;
      recoveryCodesLeft: number;
    };
    expect(body).toMatchObject({ method: 'totp', recoveryCodesLeft: 10 });
    // Tokens in tests live 10 minutes: the verification lasts exactly as long.
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect((await get(ANY_MEMBER_ROUTE, other)).status).toBe(200);
    expect((await get('/api/v1/users', other)).status).toBe(200);
    expect((await get(ANY_MEMBER_ROUTE, third)).status).toBe(401);
    // The token itself is not stored: only its digest.
    const [row] = await h.db
      .select()
      .from(mfaVerifications)
      .where(eq(mfaVerifications.credentialDigest, await digestOf(other)));
    expect(row).toMatchObject({ userId: admin.id, method: 'totp' });
    const actions = (await h.auditRows({ type: 'user', id: admin.id })).map((r) => r.action);
    expect(actions).toEqual(['user.mfa_enrolment_started', 'user.mfa_enrolled', 'user.mfa_verified']);
  });

  it('a code counts once: replayed, or older than the last one used, it is 422 mfa_code_already_used', async () => {
    const { factor, other, third } = await enrolledAdmin();
    // enrol() confirmed with the previous step's code.
    const replayed = await verify(other, { code: await codeFor(factor.secret, -1) });
    expect(replayed.status).toBe(422);
    expect((await readProblem(replayed)).code).toBe('mfa_code_already_used');
    expect((await verify(other, { code: await codeFor(factor.secret) })).status).toBe(200);
    const again = await verify(third, { code: await codeFor(factor.secret) });
    expect(again.status).toBe(422);
    expect((await readProblem(again)).code).toBe('mfa_code_already_used');
    expect((await get(ANY_MEMBER_ROUTE, third)).status).toBe(401);
  });

  it('a wrong code is 422 invalid_mfa_code and verifies nothing', async () => {
    const { factor, other } = await enrolledAdmin();
    const right = await codeFor(factor.secret);
    const res = await verify(other, { code: right === '999999' ? '999998' : '999999' });
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('invalid_mfa_code');
    expect((await get(ANY_MEMBER_ROUTE, other)).status).toBe(401);
  });

  it('limits attempts per user: after five in a minute, 429, even for the right code', async () => {
    const { factor, other, third } = await enrolledAdmin();
    // enrol() made one attempt (the confirmation); four wrong ones use up the budget of five.
    for (let i = 0; i < 4; i++) {
      const res = await verify(other, { code: '000000' === (await codeFor(factor.secret)) ? '000001' : '000000' });
      expect(res.status).toBe(422);
      expect(res.headers.get('ratelimit-policy')).toContain('"mfa-verify";q=5;w=60');
    }
    const limited = await verify(third, { code: await codeFor(factor.secret) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await readProblem(limited)).code).toBe('rate_limited');
    expect((await get(ANY_MEMBER_ROUTE, third)).status).toBe(401);
    // Another user's budget is their own.
    const { factor: theirs, other: theirToken } = await enrolledAdmin();
    expect((await verify(theirToken, { code: await codeFor(theirs.secret) })).status).toBe(200);
  });

  it('a recovery code works once, however it is typed, and the count goes down', async () => {
    const { admin, factor, other, third } = await enrolledAdmin();
    const [first, second] = factor.recoveryCodes as [string, string];
    const res = await verify(other, { recoveryCode: first });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ method: 'recovery_code', recoveryCodesLeft: 9 });
    expect((await get(ANY_MEMBER_ROUTE, other)).status).toBe(200);
    const reused = await verify(third, { recoveryCode: first });
    expect(reused.status).toBe(422);
    expect((await readProblem(reused)).code).toBe('invalid_mfa_code');
    expect((await get(ANY_MEMBER_ROUTE, third)).status).toBe(401);
    const typed = await verify(third, { recoveryCode: ` ${second.toUpperCase().replace('-', '')} ` });
    expect(await typed.json()).toMatchObject({ recoveryCodesLeft: 8 });
    const rows = await h.auditRows({ type: 'user', id: admin.id, action: 'user.mfa_recovery_code_used' });
    expect(rows.map((r) => r.changes)).toEqual([
      { before: { recoveryCodesLeft: 10 }, after: { recoveryCodesLeft: 9 } },
      { before: { recoveryCodesLeft: 9 }, after: { recoveryCodesLeft: 8 } },
    ]);
  });

  it("another user's recovery code is not yours", async () => {
    const mine = await enrolledAdmin();
    const theirs = await enrolledAdmin();
    const res = await verify(mine.other, { recoveryCode: theirs.factor.recoveryCodes[0]! });
    expect(res.status).toBe(422);
  });

  it('without a confirmed authenticator: 409 mfa_not_enrolled; a body with both or neither field: 400', async () => {
    const user = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    const headers = await withoutMfa(user);
    const res = await verify(headers, { code: '123456' });
    expect(res.status).toBe(409);
    expect((await readProblem(res)).code).toBe('mfa_not_enrolled');
    expect((await verify(headers, { code: '123456', recoveryCode: 'abcde-fghij' })).status).toBe(400);
    expect((await verify(headers, {})).status).toBe(400);
  });

  it('a verification is worth nothing once its token expired (the row outliving it is ignored)', async () => {
    const { enrolling } = await enrolledAdmin();
    expect((await get(ANY_MEMBER_ROUTE, enrolling)).status).toBe(200);
    await h.db
      .update(mfaVerifications)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(mfaVerifications.credentialDigest, await digestOf(enrolling)));
    expect((await get(ANY_MEMBER_ROUTE, enrolling)).status).toBe(401);
  });
});

describe('max_age and the built-in authenticator', () => {
  it('a verification older than max_age no longer counts; a new code renews it', async () => {
    const { factor, enrolling } = await enrolledAdmin(recent.id);
    expect((await get(ANY_MEMBER_ROUTE, enrolling)).status).toBe(200);
    await h.db
      .update(mfaVerifications)
      .set({ verifiedAt: new Date(Date.now() - 10 * 60_000) })
      .where(eq(mfaVerifications.credentialDigest, await digestOf(enrolling)));
    const stale = await get(ANY_MEMBER_ROUTE, enrolling);
    expect(stale.status).toBe(401);
    expect(stale.headers.get('www-authenticate')).toContain('max_age="300"');
    await freshStep();
    expect((await verify(enrolling, { code: await codeFor(factor.secret) })).status).toBe(200);
    expect((await get(ANY_MEMBER_ROUTE, enrolling)).status).toBe(200);
  });
});
