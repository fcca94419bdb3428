import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { mfaTotp, mfaVerifications } from '../../../src/db/schema/index.ts';
import { purgeExpiredMfaVerifications } from '../../../src/services/mfa/purge-expired-verifications.ts';
import { authHeaders, postJson, readProblem, useHarness, userId } from '../harness.ts';
import { call } from '../helpers.ts';
import { ANY_MEMBER_ROUTE, codeFor, enrol, get, verify, withoutMfa } from './fixtures.ts';

const h = useHarness();
const tenant = h.useTenant();
const elsewhere = h.useTenant();

const reset = (id: string, headers: Record<string, string>) => postJson(`/api/v1/users/${id}/mfa/reset`, {}, headers);
const remove = (headers: Record<string, string>) => call('/api/v1/me/mfa/totp', { method: 'DELETE', headers });
const factorOf = async (id: string) => h.db.select().from(mfaTotp).where(eq(mfaTotp.userId, id));
const verificationsOf = async (id: string) =>
  h.db.select().from(mfaVerifications).where(eq(mfaVerifications.userId, id));

describe('POST /api/v1/users/{id}/mfa/reset', () => {
  it("an org_admin resets a member's authenticator: factor, recovery codes and verified tokens are gone; audited", async () => {
    const member = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    const token = await withoutMfa(member);
    await enrol(token);
    expect((await get(ANY_MEMBER_ROUTE, token)).status).toBe(200);

    const res = await reset(member.id, tenant.users.org_admin.headers);
    expect(res.status).toBe(204);
    expect(await factorOf(member.id)).toEqual([]);
    expect(await verificationsOf(member.id)).toEqual([]);
    expect((await get(ANY_MEMBER_ROUTE, token)).status).toBe(401);
    const [entry] = await h.auditRows({ type: 'user', id: member.id, action: 'user.mfa_reset' });
    expect(entry).toMatchObject({ actorId: tenant.users.org_admin.id, organizationId: tenant.id });
    expect(entry!.changes).toEqual({
      before: { totp: 'confirmed', verifiedCredentials: 1 },
      after: { totp: null, verifiedCredentials: 0 },
    });
    // The member enrols anew.
    await enrol(token);
    expect((await get(ANY_MEMBER_ROUTE, token)).status).toBe(200);
  });

  it("another organization's user is 404, and their authenticator stays", async () => {
    const stranger = await h.insertUser(elsewhere.id, 'editor', { bound: true });
    await enrol(stranger.headers);
    const res = await reset(stranger.id, tenant.users.org_admin.headers);
    expect(res.status).toBe(404);
    expect((await readProblem(res)).code).toBe('not_found');
    expect(await factorOf(stranger.id)).toHaveLength(1);
    expect((await reset(crypto.randomUUID(), tenant.users.org_admin.headers)).status).toBe(404);
  });

  it("only a super_admin resets a super_admin's authenticator", async () => {
    const res = await reset(userId('super_admin'), await authHeaders('org_admin'));
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('super_admin_required');
  });

  it('needs users.manage (an editor is 403) and MFA of the admin doing it', async () => {
    const member = await h.insertUser(tenant.id, 'viewer', { bound: true });
    expect((await reset(member.id, tenant.users.editor.headers)).status).toBe(403);
    expect((await reset(member.id, await withoutMfa(tenant.users.org_admin))).status).toBe(401);
  });

  it('nothing to reset: 204, and no audit entry', async () => {
    const member = await h.insertUser(tenant.id, 'viewer', { bound: true });
    expect((await reset(member.id, tenant.users.org_admin.headers)).status).toBe(204);
    expect(await h.auditRows({ type: 'user', id: member.id, action: 'user.mfa_reset' })).toEqual([]);
  });
});

describe('DELETE /api/v1/me/mfa/totp', () => {
  it('removes my confirmed authenticator when this token shows MFA; audited', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    await enrol(user.headers);
    expect((await remove(user.headers)).status).toBe(204);
    expect(await factorOf(user.id)).toEqual([]);
    expect(await verificationsOf(user.id)).toEqual([]);
    const [entry] = await h.auditRows({ type: 'user', id: user.id, action: 'user.mfa_removed' });
    expect(entry!.changes).toEqual({ before: { totp: 'confirmed' }, after: { totp: null } });
    expect((await remove(user.headers)).status).toBe(204);
  });

  it('refuses a token without MFA (a thief cannot take the owner\u2019s factor away), whatever the role', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    const { secret } = await enrol(await withoutMfa(user));
    const passwordOnly = await withoutMfa(user);
    const res = await remove(passwordOnly);
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('insufficient_user_authentication');
    expect(await factorOf(user.id)).toHaveLength(1);
    // Verified with a code, the same token may.
    expect((await verify(passwordOnly, { code: await codeFor(secret) })).status).toBe(200);
    expect((await remove(passwordOnly)).status).toBe(204);
  });

  it('a pending enrolment is removed without MFA (it protects nothing yet)', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    const headers = await withoutMfa(user);
    expect((await postJson('/api/v1/me/mfa/totp', {}, headers)).status).toBe(201);
    expect((await remove(headers)).status).toBe(204);
    expect(await factorOf(user.id)).toEqual([]);
  });
});

describe('the cron purge of expired verifications', () => {
  it('deletes verifications whose token expired, and only those', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    const row = (digest: string, expiresAt: Date) => ({
      credentialDigest: digest,
      userId: user.id,
      method: 'totp',
      expiresAt,
    });
    const live = crypto.randomUUID();
    const dead = crypto.randomUUID();
    await h.db
      .insert(mfaVerifications)
      .values([row(live, new Date(Date.now() + 60_000)), row(dead, new Date(Date.now() - 1))]);
    expect(await purgeExpiredMfaVerifications({ ctx: h.ctx })).toBeGreaterThanOrEqual(1);
    expect((await verificationsOf(user.id)).map((r) => r.credentialDigest)).toEqual([live]);
  });
});
