import { eq } from 'drizzle-orm';
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { mfaTotp, mfaVerifications, organizations } from '../../../src/db/schema/index.ts';
import { openTotpSecret } from '../../../src/services/mfa/totp-secret-store.ts';
import { sha256Hex } from '../../../src/lib/sha256.ts';
import { postJson, readProblem, useHarness } from '../harness.ts';
import { ANY_MEMBER_ROUTE, apiKeyHeaders, codeFor, enrol, freshStep, get, withoutMfa } from './fixtures.ts';

const h = useHarness();
const rootKey = loadConfig(env as Bindings).webhooks.secretKey;

const start = (headers: Record<string, string>) => postJson('/api/v1/me/mfa/totp', {}, headers);
const confirm = (headers: Record<string, string>, code: string) =>
  postJson('/api/v1/me/mfa/totp/confirm', { code }, headers);
const factorRow = async (userId: string) => (await h.db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId)))[0];

describe('POST /api/v1/me/mfa/totp, …/confirm: enrolling the built-in authenticator', () => {
  const tenant = h.useTenant();

  it('an org_admin without MFA enrols, confirms with a code, gets ten recovery codes, and its token then passes', async () => {
    const admin = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    const headers = await withoutMfa(admin);
    expect((await get(ANY_MEMBER_ROUTE, headers)).status).toBe(401);

    await freshStep();
    const started = await start(headers);
    expect(started.status).toBe(201);
    expect(started.headers.get('cache-control')).toBe('no-store');
    const enrolment = (await started.json()) as { secret: string; otpauthUri: string; expiresAt: string };
    expect(enrolment.secret).toMatch(/^[A-Z2-7]{32}$/);
    // The Key Uri Format: otpauth://totp/<issuer>:<account>?… (MFA_TOTP_ISSUER is "ContentOS (local)" in wrangler.toml).
    expect(
      enrolment.otpauthUri.startsWith(`otpauth://totp/ContentOS%20(local):${encodeURIComponent(admin.email)}?`),
    ).toBe(true);
    const uri = new URL(enrolment.otpauthUri);
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: enrolment.secret,
      issuer: 'ContentOS (local)',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
    expect(Date.parse(enrolment.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    // Pending: it counts for nothing yet.
    expect((await get(ANY_MEMBER_ROUTE, headers)).status).toBe(401);

    const confirmed = await confirm(headers, await codeFor(enrolment.secret));
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    const body = (await confirmed.json()) as { recoveryCodes: string[]; verifiedAt: string };
    expect(body.recoveryCodes).toHaveLength(10);
    expect(new Set(body.recoveryCodes).size).toBe(10);
    // Confirming proved the factor: this very token counts as multi-factor now.
    expect((await get(ANY_MEMBER_ROUTE, headers)).status).toBe(200);
    expect(await (await get('/api/v1/me/mfa', headers)).json()).toMatchObject({
      required: true,
      satisfied: true,
      totp: { status: 'confirmed', recoveryCodesLeft: 10 },
    });

    const audit = await h.auditRows({ type: 'user', id: admin.id });
    expect(audit.map((row) => row.action)).toEqual(['user.mfa_enrolment_started', 'user.mfa_enrolled']);
    expect(audit[1]!.changes).toEqual({
      before: { totp: 'pending', recoveryCodes: null },
      after: { totp: 'confirmed', recoveryCodes: 10 },
    });
    expect(JSON.stringify(audit)).not.toContain(enrolment.secret);
  });

  it('stores the secret encrypted, bound to its user, and the recovery codes only as digests', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    const { secret, recoveryCodes } = await enrol(user.headers);
    const row = await factorRow(user.id);
    expect(row!.secretCiphertext.startsWith('v1.')).toBe(true);
    expect(row!.secretCiphertext).not.toContain(secret);
    expect(atob(row!.secretCiphertext.slice(3))).not.toContain(secret);
    expect(await openTotpSecret(rootKey, user.id, row!.secretCiphertext)).toBe(secret);
    // Copied onto another user's row, it does not open.
    const other = await h.insertUser(tenant.id, 'editor', { bound: true });
    await expect(openTotpSecret(rootKey, other.id, row!.secretCiphertext)).rejects.toThrow();
    const stored = JSON.stringify(row!.recoveryCodeHashes);
    for (const code of recoveryCodes) expect(stored).not.toContain(code.replace('-', ''));
    expect(row!.recoveryCodeHashes).toContain(await sha256Hex(`${user.id}:${recoveryCodes[0]!.replace('-', '')}`));
  });

  it('a wrong code is 422 and confirms nothing; a malformed one is 400', async () => {
    const user = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    const headers = await withoutMfa(user);
    await freshStep();
    const { secret } = (await (await start(headers)).json()) as { secret: string };
    const right = await codeFor(secret);
    const wrong = right === '000000' ? '000001' : '000000';
    const res = await confirm(headers, wrong);
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('invalid_mfa_code');
    expect((await confirm(headers, '12345')).status).toBe(400);
    expect((await factorRow(user.id))!.confirmedAt).toBeNull();
    // A code from far outside the ±1 step window is wrong too.
    const old = await confirm(headers, await codeFor(secret, -3));
    expect(old.status).toBe(422);
  });

  it('restarting a pending enrolment replaces its secret: the old code no longer confirms', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    await freshStep();
    const first = (await (await start(user.headers)).json()) as { secret: string };
    const second = (await (await start(user.headers)).json()) as { secret: string };
    expect(second.secret).not.toBe(first.secret);
    const firstCode = await codeFor(first.secret);
    if (firstCode !== (await codeFor(second.secret))) {
      expect((await confirm(user.headers, firstCode)).status).toBe(422);
    }
    expect((await confirm(user.headers, await codeFor(second.secret))).status).toBe(200);
  });

  it('a confirmed authenticator is never replaced by a new enrolment (409), and cannot be confirmed twice', async () => {
    const user = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    const { secret } = await enrol(user.headers);
    const res = await start(await withoutMfa(user));
    expect(res.status).toBe(409);
    expect((await readProblem(res)).code).toBe('mfa_already_enrolled');
    const again = await confirm(user.headers, await codeFor(secret, 1));
    expect(again.status).toBe(409);
    expect((await readProblem(again)).code).toBe('mfa_already_enrolled');
  });

  it('confirming without an enrolment, or after it expired, is 409 mfa_enrolment_not_started', async () => {
    const user = await h.insertUser(tenant.id, 'editor', { bound: true });
    const none = await confirm(user.headers, '123456');
    expect(none.status).toBe(409);
    expect((await readProblem(none)).code).toBe('mfa_enrolment_not_started');
    await freshStep();
    const { secret } = (await (await start(user.headers)).json()) as { secret: string };
    await h.db
      .update(mfaTotp)
      .set({ createdAt: new Date(Date.now() - 16 * 60_000) })
      .where(eq(mfaTotp.userId, user.id));
    const expired = await confirm(user.headers, await codeFor(secret));
    expect(expired.status).toBe(409);
    expect((await readProblem(expired)).detail).toContain('expired');
  });

  it('API keys have no second factor: 403 mfa_user_required', async () => {
    const headers = await apiKeyHeaders(h.db, tenant.users.org_admin, 'editor');
    for (const res of [await start(headers), await confirm(headers, '123456'), await get('/api/v1/me/mfa', headers)]) {
      expect(res.status).toBe(403);
      expect((await readProblem(res)).code).toBe('mfa_user_required');
    }
  });
});

describe('an organization that turned the built-in authenticator off', () => {
  const tenant = h.useTenant({ mfaBuiltInTotp: false });

  it('refuses enrolment (403) and points MFA refusals at the identity provider only', async () => {
    const headers = await withoutMfa(tenant.users.org_admin);
    const res = await start(headers);
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('built_in_totp_disabled');
    const refused = await get(ANY_MEMBER_ROUTE, headers);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { stepUp: { verify: string | null } }).stepUp.verify).toBeNull();
  });

  it('ignores a verification made before it was turned off', async () => {
    const admin = await h.insertUser(tenant.id, 'org_admin', { bound: true });
    await h.db.update(organizations).set({ mfaBuiltInTotp: true }).where(eq(organizations.id, tenant.id));
    const headers = await withoutMfa(admin);
    try {
      await enrol(headers);
      expect((await get(ANY_MEMBER_ROUTE, headers)).status).toBe(200);
    } finally {
      await h.db.update(organizations).set({ mfaBuiltInTotp: false }).where(eq(organizations.id, tenant.id));
    }
    const digest = await sha256Hex(headers.authorization!.slice('Bearer '.length));
    expect(
      await h.db.select().from(mfaVerifications).where(eq(mfaVerifications.credentialDigest, digest)),
    ).toHaveLength(1);
    expect((await get(ANY_MEMBER_ROUTE, headers)).status).toBe(401);
  });
});
