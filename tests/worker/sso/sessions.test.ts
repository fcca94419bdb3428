import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { authSessions, content, loginTransactions } from '../../../src/db/schema/index.ts';
import { purgeSignInState } from '../../../src/services/sessions/purge-sign-in-state.ts';
import { BASE, postJson, readProblem, useHarness, type TestUser } from '../harness.ts';
import { Browser, expectSignedInAs } from './browser.ts';
import { configureSso, uniqueDomain } from './sso-fixture.ts';

/**
 * Sessions after sign-in (docs/decisions/0035): the cookie authenticates /api/v1 like a bearer token, changes
 * need the CSRF proof, sessions end by idle and absolute timeouts, by sign-out, by the user revoking them,
 * and when an administrator changes the user's role or status; each ending is immediate and audited.
 */

const { ctx, db, insertOrganization, insertUser, auditRows } = useHarness();

async function signedIn(role: TestUser['role'] = 'editor') {
  const org = await insertOrganization();
  const domain = uniqueDomain();
  await configureSso(db, org.id, { allowedDomains: [domain] });
  const user = await insertUser(org.id, role, {
    email: `${role.replace('_', '-')}-${crypto.randomUUID().slice(0, 6)}@${domain}`,
  });
  const admin = await insertUser(org.id, 'org_admin');
  const sub = `idp|${crypto.randomUUID()}`;
  const login = `/auth/${org.slug}/login`;
  const browser = new Browser();
  expect((await browser.signIn(login, { sub, email: user.email })).status).toBe(303);
  const [session] = await db.select().from(authSessions).where(eq(authSessions.userId, user.id));
  return { org, user, admin, browser, sub, login, sessionId: session!.id };
}

async function expectEnded(browser: Browser, code: string): Promise<void> {
  const res = await browser.fetch('/api/v1/me');
  expect(res.status, await res.clone().text()).toBe(401);
  expect((await readProblem(res)).code).toBe(code);
}

const draft = { type: 'custom', title: 'Written in a browser', platforms: ['web'] };

describe('the session cookie on /api/v1', () => {
  it('authenticates reads like a bearer token, with role and organization from the users table', async () => {
    const { browser, user, org } = await signedIn('approver');
    const res = await browser.fetch('/api/v1/me');
    const me = (await res.json()) as { role: string; organization: { id: string }; principalType: string };
    expect(me).toMatchObject({ role: 'approver', principalType: 'user', organization: { id: org.id } });
    expect((await browser.fetch('/api/v1/me/permissions')).status).toBe(200);
    expect((await browser.fetch(`/api/v1/users/${user.id}`)).status).toBe(403);
  });

  it('a bearer token wins over the cookie, and keeps working without one', async () => {
    const { browser, admin } = await signedIn();
    const res = await browser.fetch('/api/v1/me', { headers: { authorization: `Bearer ${admin.token}` } });
    expect(((await res.json()) as { user: { id: string } }).user.id).toBe(admin.id);
    expect((await postJson('/api/v1/content', draft, admin.headers)).status).toBe(201);
  });

  it('401 invalid_session for a cookie that names no session (malformed, or well formed and unknown)', async () => {
    for (const value of ['garbage', 'A'.repeat(43)]) {
      const res = await new Browser().fetch('/api/v1/me', { headers: { cookie: `cos_session=${value}` } });
      expect(res.status).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_session');
    }
  });
});

describe('CSRF: changes made with the cookie', () => {
  it('pass with an Origin of this site (or Sec-Fetch-Site: same-origin) and X-CSRF: 1', async () => {
    const { browser } = await signedIn();
    expect((await browser.change('/api/v1/content', 'POST', draft)).status).toBe(201);
    const fetchMetadata = await browser.fetch('/api/v1/content', {
      method: 'POST',
      headers: { 'sec-fetch-site': 'same-origin', 'x-csrf': '1', 'content-type': 'application/json' },
      body: JSON.stringify(draft),
    });
    expect(fetchMetadata.status).toBe(201);
  });

  it('are refused (403 csrf_check_failed) cross-site, without an origin, or without the header, before anything is written', async () => {
    const { browser, user } = await signedIn();
    const attempts: Array<Record<string, string>> = [
      { origin: 'https://evil.example', 'x-csrf': '1' },
      { origin: 'null', 'x-csrf': '1' },
      { 'sec-fetch-site': 'cross-site', 'x-csrf': '1' },
      { 'x-csrf': '1' },
      { origin: new URL(BASE).origin },
      { origin: new URL(BASE).origin, 'x-csrf': 'yes' },
    ];
    for (const headers of attempts) {
      const res = await browser.fetch('/api/v1/content', {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(draft),
      });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect((await readProblem(res)).code).toBe('csrf_check_failed');
    }
    expect(await db.select().from(content).where(eq(content.creatorId, user.id))).toEqual([]);
  });

  it('reads need no proof; bearer changes need none either', async () => {
    const { browser, admin } = await signedIn();
    expect((await browser.fetch('/api/v1/content')).status).toBe(200);
    expect((await postJson('/api/v1/content', draft, admin.headers)).status).toBe(201);
  });
});

describe('timeouts', () => {
  it('401 session_expired once idle past its idle expiry', async () => {
    const { browser, sessionId } = await signedIn();
    await db
      .update(authSessions)
      .set({ idleExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(authSessions.id, sessionId));
    await expectEnded(browser, 'session_expired');
  });

  it('401 session_expired at its absolute expiry, however recently used', async () => {
    const { browser, sessionId } = await signedIn();
    await db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authSessions.id, sessionId));
    await expectEnded(browser, 'session_expired');
  });

  it('use moves last-seen and the idle expiry forward (at most once a minute), never past the absolute expiry', async () => {
    const { browser, sessionId } = await signedIn();
    const absolute = new Date(Date.now() + 3_600_000);
    const old = new Date(Date.now() - 5 * 60_000);
    await db
      .update(authSessions)
      .set({ lastSeenAt: old, idleExpiresAt: new Date(Date.now() + 60_000), expiresAt: absolute })
      .where(eq(authSessions.id, sessionId));
    // Through an app of the test's own, so the write deferred past the response is done on return.
    const exec = createExecutionContext();
    const res = await createApp().request(
      '/api/v1/me',
      { headers: { cookie: `cos_session=${browser.sessionCookie}` } },
      env,
      exec,
    );
    await waitOnExecutionContext(exec);
    expect(res.status).toBe(200);
    const [row] = await db.select().from(authSessions).where(eq(authSessions.id, sessionId));
    expect(row!.lastSeenAt.getTime()).toBeGreaterThan(old.getTime());
    // Eight hours of idleness would pass the absolute expiry: capped there.
    expect(row!.idleExpiresAt.getTime()).toBe(absolute.getTime());
  });
});

describe('ending sessions', () => {
  it('GET /api/v1/me/sessions lists my live sessions, marking the current one', async () => {
    const { browser, user, admin, login, sub, sessionId } = await signedIn();
    const second = new Browser();
    expect((await second.signIn(login, { sub, email: user.email })).status).toBe(303);
    const res = await browser.fetch('/api/v1/me/sessions');
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: Array<{ id: string; current: boolean; userAgent: string | null }> };
    expect(data).toHaveLength(2);
    expect(data.find((s) => s.current)?.id).toBe(sessionId);
    // Sessions are the caller's own: the organization's admin, signed in with a token, has none.
    const admins = await browser.fetch('/api/v1/me/sessions', { headers: { authorization: `Bearer ${admin.token}` } });
    expect(((await admins.json()) as { data: unknown[] }).data).toEqual([]);
  });

  it('DELETE /api/v1/me/sessions/{id} ends one of mine at once, audited; the other keeps working', async () => {
    const { browser, user, login, sub, sessionId, org } = await signedIn();
    const other = new Browser();
    expect((await other.signIn(login, { sub, email: user.email })).status).toBe(303);
    const res = await other.change(`/api/v1/me/sessions/${sessionId}`, 'DELETE');
    expect(res.status, await res.clone().text()).toBe(204);
    await expectEnded(browser, 'session_revoked');
    await expectSignedInAs(other, user.id);
    const [audit] = await auditRows({ type: 'session', id: sessionId, action: 'auth.session_revoke' });
    expect(audit).toMatchObject({
      organizationId: org.id,
      actorId: user.id,
      changes: { after: { revokedReason: 'revoked', userId: user.id } },
    });
    // Ending the current session clears its cookie.
    const current = await other.change(`/api/v1/me/sessions/${await currentId(other)}`, 'DELETE');
    expect(current.status).toBe(204);
    expect(other.sessionCookie).toBeUndefined();
  });

  it("404 for someone else's session, an ended one and an unknown id; 400 for a malformed id", async () => {
    const mine = await signedIn();
    const theirs = await signedIn();
    const res = await mine.browser.change(`/api/v1/me/sessions/${theirs.sessionId}`, 'DELETE');
    expect(res.status).toBe(404);
    await expectSignedInAs(theirs.browser, theirs.user.id);
    expect((await mine.browser.change(`/api/v1/me/sessions/${'0'.repeat(64)}`, 'DELETE')).status).toBe(404);
    expect((await mine.browser.change('/api/v1/me/sessions/not-an-id', 'DELETE')).status).toBe(400);
  });

  it('403 user_principal_required for an API key: sessions belong to people', async () => {
    const { admin } = await signedIn();
    const created = await postJson('/api/v1/api-keys', { name: 'sessions', role: 'viewer' }, admin.headers);
    const { secret } = (await created.json()) as { secret: string };
    const res = await new Browser().fetch('/api/v1/me/sessions', { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('user_principal_required');
  });

  it('POST /auth/logout ends the session, clears the cookie, is audited; it needs the CSRF proof', async () => {
    const { browser, user, sessionId } = await signedIn();
    const cookie = browser.sessionCookie!;
    const forged = await browser.fetch('/auth/logout', { method: 'POST', headers: { origin: 'https://evil.example' } });
    expect(forged.status).toBe(403);
    await expectSignedInAs(browser, user.id);
    const res = await browser.change('/auth/logout', 'POST');
    expect(res.status).toBe(204);
    expect(browser.sessionCookie).toBeUndefined();
    const replay = await new Browser().fetch('/api/v1/me', { headers: { cookie: `cos_session=${cookie}` } });
    expect((await readProblem(replay)).code).toBe('session_revoked');
    const [audit] = await auditRows({ type: 'session', id: sessionId, action: 'auth.sign_out' });
    expect(audit).toMatchObject({ actorId: user.id, changes: { after: { revokedReason: 'sign_out' } } });
    // Signing out again (or without a session) is not an error.
    expect((await browser.change('/auth/logout', 'POST')).status).toBe(204);
  });

  it("an administrator suspending a user or changing their role ends all of the user's sessions, audited", async () => {
    for (const [change, reason] of [
      [{ status: 'suspended' }, 'status_changed'],
      [{ role: 'viewer' }, 'role_changed'],
    ] as const) {
      const { browser, user, admin, login, sub, sessionId } = await signedIn();
      const second = new Browser();
      expect((await second.signIn(login, { sub, email: user.email })).status).toBe(303);
      const res = await postJson(`/api/v1/users/${user.id}`, change, admin.headers, 'PATCH');
      expect(res.status, await res.clone().text()).toBe(200);
      await expectEnded(browser, 'session_revoked');
      await expectEnded(second, 'session_revoked');
      const [audit] = await auditRows({ type: 'session', id: sessionId, action: 'auth.session_revoke' });
      expect(audit).toMatchObject({ actorId: admin.id, changes: { after: { revokedReason: reason } } });
    }
  });

  it('a profile-only change leaves sessions alone', async () => {
    const { browser, user, admin } = await signedIn();
    expect((await postJson(`/api/v1/users/${user.id}`, { profile: { a: 1 } }, admin.headers, 'PATCH')).status).toBe(
      200,
    );
    await expectSignedInAs(browser, user.id);
  });
});

describe('housekeeping', () => {
  it('the cron purges sign-ins never completed and sessions a week past their end', async () => {
    const { sessionId, browser, login } = await signedIn();
    const state = (await browser.startSignIn(login)).searchParams.get('state')!;
    await db
      .update(authSessions)
      .set({ expiresAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(authSessions.id, sessionId));
    await db
      .update(loginTransactions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(loginTransactions.state, state));
    await purgeSignInState({ ctx });
    expect(await db.select().from(authSessions).where(eq(authSessions.id, sessionId))).toEqual([]);
    expect(await db.select().from(loginTransactions).where(eq(loginTransactions.state, state))).toEqual([]);
  });
});

async function currentId(browser: Browser): Promise<string> {
  const res = await browser.fetch('/api/v1/me/sessions');
  const { data } = (await res.json()) as { data: Array<{ id: string; current: boolean }> };
  return data.find((s) => s.current)!.id;
}
