import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cookieSecretHash } from '../../../src/auth/session-cookie.ts';
import { authSessions, mfaVerifications, type NewOrganization, type UserRole } from '../../../src/db/schema/index.ts';
import { readProblem, useHarness } from '../harness.ts';
import { Browser } from '../sso/browser.ts';
import { configureSso } from '../sso/sso-fixture.ts';
import { ANY_MEMBER_ROUTE, codeFor, freshStep } from './fixtures.ts';

/**
 * Browser sessions under the MFA policy (docs/decisions/0036, 0035): a session carries what the provider said at
 * sign-in (amr, acr, auth_time) and any built-in verification made with it, and is checked by the same rule as a
 * token. A refused session gets no Bearer challenge but a `stepUp.url`: its sign-in, asking the provider for MFA.
 */
const h = useHarness();
const PAPE_MFA = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';

interface StepUpProblem {
  code: string;
  stepUp: { acrValues: string[]; maxAge: number | null; verify: string | null; url: string | null };
}

/** An organization signing in through the local provider, and one member of `role` (invited: binds by email). */
async function organizationWith(role: UserRole, values: Partial<NewOrganization> = {}) {
  const org = await h.insertOrganization(values);
  await configureSso(h.db, org.id);
  const user = await h.insertUser(org.id, role);
  return { org, user, login: `/auth/${org.slug}/login` };
}

/** Signs `user` in through the provider in a fresh browser (the same subject every time: one binding). */
async function signIn(
  login: string,
  user: { id: string; email: string },
  mfa: boolean,
  claims?: Record<string, unknown>,
) {
  const browser = new Browser();
  const res = await browser.signIn(login, { sub: `idp|${user.id}`, email: user.email, mfa, ...(claims && { claims }) });
  expect(res.status, await res.clone().text()).toBe(303);
  return browser;
}

async function expectStepUp(res: Response): Promise<StepUpProblem['stepUp']> {
  expect(res.status, await res.clone().text()).toBe(401);
  // A session has no authorization server to ask: no Bearer challenge, the problem says where to go.
  expect(res.headers.get('www-authenticate')).toBeNull();
  const problem = (await readProblem(res)) as Awaited<ReturnType<typeof readProblem>> & StepUpProblem;
  expect(problem.code).toBe('insufficient_user_authentication');
  return problem.stepUp;
}

const sessionsOf = (userId: string) => h.db.select().from(authSessions).where(eq(authSessions.userId, userId));

describe('MFA for browser sessions', () => {
  it('an org_admin signed in without MFA → 401 with stepUp (prompt=login, acr_values); no Bearer challenge', async () => {
    const { org, user, login } = await organizationWith('org_admin');
    const browser = await signIn(login, user, false);
    const stepUp = await expectStepUp(await browser.fetch(ANY_MEMBER_ROUTE));
    expect(stepUp).toEqual({
      acrValues: [PAPE_MFA],
      maxAge: null,
      verify: '/api/v1/me/mfa/verify',
      url: `/auth/${org.slug}/login?prompt=login&acr_values=${encodeURIComponent(PAPE_MFA)}`,
    });
    // Changes too (CSRF satisfied), and reads of the admin's own areas.
    await expectStepUp(
      await browser.change('/api/v1/content', 'POST', { type: 'custom', title: 'x', platforms: ['web'] }),
    );
    await expectStepUp(await browser.fetch('/api/v1/users'));
    // What lets them get MFA stays open.
    expect((await browser.fetch('/api/v1/me/mfa')).status).toBe(200);
  });

  it('an org_admin signed in with MFA (amr mfa) → 200; an editor without MFA → 200 (not a listed role)', async () => {
    const admin = await organizationWith('org_admin');
    const withMfa = await signIn(admin.login, admin.user, true);
    expect((await withMfa.fetch(ANY_MEMBER_ROUTE)).status).toBe(200);
    expect((await withMfa.fetch('/api/v1/users')).status).toBe(200);
    const [session] = await sessionsOf(admin.user.id);
    expect(session).toMatchObject({ amr: ['pwd', 'mfa'], mfa: true });

    const editor = await organizationWith('editor');
    const editorBrowser = await signIn(editor.login, editor.user, false);
    expect((await editorBrowser.fetch(ANY_MEMBER_ROUTE)).status).toBe(200);
  });

  it('following stepUp.url asks the provider for MFA; the new session passes', async () => {
    const { user, login } = await organizationWith('org_admin');
    const refused = await signIn(login, user, false);
    const { url } = await expectStepUp(await refused.fetch(ANY_MEMBER_ROUTE));
    const browser = new Browser();
    const authorization = await browser.startSignIn(url!);
    expect(authorization.searchParams.get('prompt')).toBe('login');
    expect(authorization.searchParams.get('acr_values')).toBe(PAPE_MFA);
    expect(authorization.searchParams.has('max_age')).toBe(false);
    const callback = await Browser.authorize(authorization, { sub: `idp|${user.id}`, email: user.email, mfa: true });
    expect((await browser.fetch(callback)).status).toBe(303);
    expect((await browser.fetch(ANY_MEMBER_ROUTE)).status).toBe(200);
    // The local provider answers the acr asked for, as a provider honouring acr_values does.
    const sessions = await sessionsOf(user.id);
    expect(sessions.map((s) => s.acr).sort()).toEqual([PAPE_MFA, 'urn:contentos:local:pwd']);
  });

  it('with max_age, a session whose sign-in is older is refused, and its stepUp.url passes max_age on', async () => {
    const { org, user, login } = await organizationWith('org_admin', { mfaMaxAgeSeconds: 300 });
    const old = Math.floor(Date.now() / 1000) - 900;
    const stale = await signIn(login, user, true, { auth_time: old });
    const stepUp = await expectStepUp(await stale.fetch(ANY_MEMBER_ROUTE));
    expect(stepUp.maxAge).toBe(300);
    expect(stepUp.url).toBe(
      `/auth/${org.slug}/login?prompt=login&acr_values=${encodeURIComponent(PAPE_MFA)}&max_age=300`,
    );
    const authorization = await new Browser().startSignIn(stepUp.url!);
    expect(authorization.searchParams.get('max_age')).toBe('300');
    // A fresh sign-in with MFA is within max_age.
    expect((await (await signIn(login, user, true)).fetch(ANY_MEMBER_ROUTE)).status).toBe(200);
  });

  it('a TOTP code verified with a session cookie marks that session, and only that one; audited as for tokens', async () => {
    const { user, login } = await organizationWith('org_admin');
    await freshStep(8);
    // Enrolment from a session without MFA (a step-up operation); confirming verifies the confirming session.
    const enrolling = await signIn(login, user, false);
    const started = await enrolling.change('/api/v1/me/mfa/totp', 'POST', {});
    expect(started.status, await started.clone().text()).toBe(201);
    const { secret } = (await started.json()) as { secret: string };
    const confirmed = await enrolling.change('/api/v1/me/mfa/totp/confirm', 'POST', {
      code: await codeFor(secret, -1),
    });
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    expect((await enrolling.fetch(ANY_MEMBER_ROUTE)).status).toBe(200);

    const second = await signIn(login, user, false);
    const third = await signIn(login, user, false);
    await expectStepUp(await second.fetch(ANY_MEMBER_ROUTE));
    const verified = await second.change('/api/v1/me/mfa/verify', 'POST', { code: await codeFor(secret) });
    expect(verified.status, await verified.clone().text()).toBe(200);
    const body = (await verified.json()) as { method: string; expiresAt: string };
    expect(body.method).toBe('totp');
    expect((await second.fetch(ANY_MEMBER_ROUTE)).status).toBe(200);
    await expectStepUp(await third.fetch(ANY_MEMBER_ROUTE));

    // Remembered under the session's id (the cookie's SHA-256), until the session's absolute expiry.
    const id = await cookieSecretHash(second.sessionCookie!);
    const [session] = await h.db.select().from(authSessions).where(eq(authSessions.id, id));
    const [remembered] = await h.db.select().from(mfaVerifications).where(eq(mfaVerifications.credentialDigest, id));
    expect(remembered).toMatchObject({ userId: user.id, method: 'totp' });
    expect(remembered!.expiresAt.getTime()).toBe(session!.expiresAt.getTime());
    expect(Date.parse(body.expiresAt)).toBe(session!.expiresAt.getTime());
    const audit = await h.auditRows({ type: 'user', id: user.id });
    const mfaEntries = audit.filter((r) => r.action.startsWith('user.mfa_'));
    expect(mfaEntries.map((r) => r.action)).toEqual([
      'user.mfa_enrolment_started',
      'user.mfa_enrolled',
      'user.mfa_verified',
    ]);
    for (const entry of mfaEntries) expect(entry).toMatchObject({ actorType: 'user', actorId: user.id });
  });
});
