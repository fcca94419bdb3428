import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { auditLog, authSessions, loginTransactions, organizationSso, users } from '../../../src/db/schema/index.ts';
import { REGISTERED_OIDC_CLIENT } from '../../stack/oidc-clients.ts';
import { readProblem, useHarness } from '../harness.ts';
import { Browser, type ProviderIdentity } from './browser.ts';
import { configureSso, uniqueDomain } from './sso-fixture.ts';

/**
 * A callback is the one unauthenticated request that ends in a session: each way of forging, replaying or
 * tampering with it is refused, and none leaves a session or a sign-in audit row behind.
 */

const { db, insertOrganization, insertUser } = useHarness();
const subject = () => `idp|${crypto.randomUUID()}`;

async function tenant(values: Parameters<typeof configureSso>[2] = {}) {
  const org = await insertOrganization();
  const domain = uniqueDomain();
  const sso = await configureSso(db, org.id, { allowedDomains: [domain], ...values });
  const user = await insertUser(org.id, 'editor', { email: `target@${domain}` });
  const identity: ProviderIdentity = { sub: subject(), email: user.email };
  return { org, sso, user, identity, login: `/auth/${org.slug}/login` };
}

async function expectRefused(res: Response, status: number, code: string): Promise<string> {
  expect(res.status, await res.clone().text()).toBe(status);
  const problem = await readProblem(res);
  expect(problem.code).toBe(code);
  return problem.detail;
}

async function expectNoSession(userId: string, organizationId: string): Promise<void> {
  expect(await db.select().from(authSessions).where(eq(authSessions.userId, userId))).toEqual([]);
  const signIns = await db.select().from(auditLog).where(eq(auditLog.organizationId, organizationId));
  expect(signIns.filter((row) => row.action === 'auth.sign_in')).toEqual([]);
}

describe('state and the browser that started the sign-in', () => {
  it('401 sso_login_expired for a state no sign-in started', async () => {
    const { user, org, identity, login } = await tenant();
    const browser = new Browser();
    const callback = new URL(await Browser.authorize(await browser.startSignIn(login), identity), 'http://x');
    callback.searchParams.set('state', 'forged-state-forged-state-forged-state-forge');
    await expectRefused(await browser.fetch(`${callback.pathname}${callback.search}`), 401, 'sso_login_expired');
    await expectNoSession(user.id, org.id);
  });

  it('401 without the login cookie (a callback planted in another browser: login CSRF)', async () => {
    const { user, org, identity, login } = await tenant();
    const attacker = new Browser();
    const callback = await Browser.authorize(await attacker.startSignIn(login), identity);
    await expectRefused(await new Browser().fetch(callback), 401, 'sso_login_expired');
    await expectNoSession(user.id, org.id);
    // Refused before the sign-in is looked up, so a planted callback cannot burn the real browser's sign-in.
    expect((await attacker.fetch(callback)).status).toBe(303);
  });

  it("401 with another sign-in's cookie", async () => {
    const { identity, login } = await tenant();
    const victim = new Browser();
    await victim.startSignIn(login);
    const attacker = new Browser();
    const callback = await Browser.authorize(await attacker.startSignIn(login), identity);
    await expectRefused(await victim.fetch(callback), 401, 'sso_login_expired');
  });

  it('401 for a replayed callback: each sign-in completes once', async () => {
    const { identity, login } = await tenant();
    const browser = new Browser();
    const callback = await Browser.authorize(await browser.startSignIn(login), identity);
    const loginCookie = browser.cookies.get('cos_login')!;
    expect((await browser.fetch(callback)).status).toBe(303);
    await expectRefused(
      await browser.fetch(callback, { headers: { cookie: `cos_login=${loginCookie}` } }),
      401,
      'sso_login_expired',
    );
  });

  it('401 once the sign-in has expired', async () => {
    const { user, org, identity, login } = await tenant();
    const browser = new Browser();
    const authorize = await browser.startSignIn(login);
    await db
      .update(loginTransactions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(loginTransactions.state, authorize.searchParams.get('state')!));
    await expectRefused(await browser.fetch(await Browser.authorize(authorize, identity)), 401, 'sso_login_expired');
    await expectNoSession(user.id, org.id);
  });

  it('401 when the SSO configuration changed while the browser was at the provider', async () => {
    const { org, identity, login } = await tenant();
    const browser = new Browser();
    const callback = await Browser.authorize(await browser.startSignIn(login), identity);
    await db
      .update(organizationSso)
      .set({ clientId: 'rotated-client' })
      .where(eq(organizationSso.organizationId, org.id));
    await expectRefused(await browser.fetch(callback), 401, 'sso_login_expired');
  });
});

describe('the code', () => {
  it("401 sso_token_invalid for a code injected into another sign-in (PKCE: the verifier is the other's)", async () => {
    const { user, org, identity, login } = await tenant();
    const victim = new Browser();
    const victimCallback = new URL(await Browser.authorize(await victim.startSignIn(login), identity), 'http://x');
    const attacker = new Browser();
    const attackerCallback = new URL(
      await Browser.authorize(await attacker.startSignIn(login), { sub: subject() }),
      'http://x',
    );
    // The attacker's own sign-in (state, cookie), completed with the victim's code.
    attackerCallback.searchParams.set('code', victimCallback.searchParams.get('code')!);
    await expectRefused(
      await attacker.fetch(`${attackerCallback.pathname}${attackerCallback.search}`),
      401,
      'sso_token_invalid',
    );
    await expectNoSession(user.id, org.id);
  });

  it('401 sso_token_invalid when the provider refuses our client secret', async () => {
    const { user, org, identity, login } = await tenant({
      clientId: REGISTERED_OIDC_CLIENT.id,
      clientSecret: 'not-the-secret',
    });
    const browser = new Browser();
    const res = await browser.fetch(await Browser.authorize(await browser.startSignIn(login), identity));
    expect(await expectRefused(res, 401, 'sso_token_invalid')).toContain('invalid_client');
    await expectNoSession(user.id, org.id);
  });

  it('signs in with the registered client and its right secret', async () => {
    const { identity, login } = await tenant({
      clientId: REGISTERED_OIDC_CLIENT.id,
      clientSecret: REGISTERED_OIDC_CLIENT.secret,
    });
    expect((await new Browser().signIn(login, identity)).status).toBe(303);
  });

  it('401 sso_provider_error when the provider authenticated nobody (error=access_denied)', async () => {
    const { login } = await tenant();
    const browser = new Browser();
    const callback = await Browser.authorize(await browser.startSignIn(login), { user: 'nobody-the-provider-knows' });
    expect(callback).toContain('error=access_denied');
    const res = await browser.fetch(callback);
    await expectRefused(res, 401, 'sso_provider_error');
  });
});

describe('the ID token', () => {
  const tampered: Array<[string, Record<string, unknown>, string]> = [
    ['a nonce of another sign-in', { nonce: 'someone-elses-nonce' }, 'nonce'],
    ['another audience', { aud: 'another-client' }, 'aud'],
    ['another issuer', { iss: 'http://127.0.0.1:1/evil' }, 'iss'],
    ['an expiry in the past', { exp: Math.floor(Date.now() / 1000) - 3600 }, 'exp'],
    ['no subject', { sub: '' }, 'sub'],
  ];
  for (const [what, claims, claim] of tampered) {
    it(`401 sso_token_invalid for ${what}`, async () => {
      const { user, org, identity, login } = await tenant();
      const res = await new Browser().signIn(login, { ...identity, claims });
      const detail = await expectRefused(res, 401, 'sso_token_invalid');
      expect(detail, what).toMatch(new RegExp(claim === 'exp' ? 'exp|expired' : claim));
      await expectNoSession(user.id, org.id);
      expect((await db.select().from(users).where(eq(users.id, user.id)))[0]!.idpSubject).toBeNull();
    });
  }

  it('the issuer the provider names in the callback (RFC 9207) must be its own', async () => {
    const { identity, login } = await tenant();
    const browser = new Browser();
    const callback = new URL(await Browser.authorize(await browser.startSignIn(login), identity), 'http://x');
    expect(callback.searchParams.get('iss')).toBe(inject('oidcIssuer'));
    callback.searchParams.set('iss', 'http://127.0.0.1:1/mix-up');
    await expectRefused(await browser.fetch(`${callback.pathname}${callback.search}`), 401, 'sso_token_invalid');
  });

  it('a provider that says it names its issuer must do so; a response with two codes is refused', async () => {
    const { identity, login } = await tenant();
    const browser = new Browser();
    const missing = new URL(await Browser.authorize(await browser.startSignIn(login), identity), 'http://x');
    missing.searchParams.delete('iss');
    await expectRefused(await browser.fetch(`${missing.pathname}${missing.search}`), 401, 'sso_token_invalid');
    const twice = new URL(await Browser.authorize(await browser.startSignIn(login), identity), 'http://x');
    twice.searchParams.append('code', 'second');
    await expectRefused(await browser.fetch(`${twice.pathname}${twice.search}`), 400, 'validation_failed');
  });
});
