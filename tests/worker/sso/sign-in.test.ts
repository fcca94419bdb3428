import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { authSessions, users } from '../../../src/db/schema/index.ts';
import { BASE, readProblem, uniqueEmail, useHarness } from '../harness.ts';
import { Browser, expectSignedInAs } from './browser.ts';
import { configureSso, uniqueDomain } from './sso-fixture.ts';

/**
 * Browser sign-in through an organization's OpenID Connect provider (docs/decisions/0035), against the local
 * provider the test stack runs: the whole code + PKCE round trip, who may sign in, and what is recorded.
 */

const { db, insertOrganization, insertUser, auditRows } = useHarness();
const issuer = () => inject('oidcIssuer');
const subject = () => `idp|${crypto.randomUUID()}`;

async function tenantWithSso(values: Parameters<typeof configureSso>[2] = {}) {
  const org = await insertOrganization();
  const domain = uniqueDomain();
  const sso = await configureSso(db, org.id, { allowedDomains: [domain], ...values });
  return { org, sso, domain, login: `/auth/${org.slug}/login` };
}

async function userRow(id: string) {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row!;
}

describe('the code + PKCE round trip', () => {
  it('signs an invited user in: provider redirect, callback, session cookie, binding, last_login, audit', async () => {
    const { org, sso, domain, login } = await tenantWithSso();
    const invited = await insertUser(org.id, 'editor', { email: `ada@${domain}` });
    const browser = new Browser();

    const authorize = await browser.startSignIn(`${login}?return_to=/api/v1/me/permissions`);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${issuer()}/authorize`);
    const params = Object.fromEntries(authorize.searchParams);
    expect(params).toMatchObject({
      response_type: 'code',
      client_id: sso.clientId,
      redirect_uri: `${BASE}/auth/callback`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
    });
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookies.get('cos_login')).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const sub = subject();
    const callback = await browser.fetch(await Browser.authorize(authorize, { sub, email: invited.email }));
    expect(callback.status, await callback.clone().text()).toBe(303);
    expect(callback.headers.get('location')).toBe('/api/v1/me/permissions');
    expect(callback.headers.get('cache-control')).toBe('no-store');
    expect(browser.cookies.has('cos_login')).toBe(false);
    expect(browser.sessionCookie).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expectSignedInAs(browser, invited.id);

    const row = await userRow(invited.id);
    expect(row).toMatchObject({ idpIssuer: issuer(), idpSubject: sub, role: 'editor', organizationId: org.id });
    expect(row.lastLogin).not.toBeNull();
    const [session, ...more] = await db.select().from(authSessions).where(eq(authSessions.userId, invited.id));
    expect(more).toEqual([]);
    // Only the hash of the cookie is stored.
    expect(session!.id).toMatch(/^[0-9a-f]{64}$/);
    expect(session!.id).not.toContain(browser.sessionCookie!);
    expect(session).toMatchObject({
      organizationId: org.id,
      issuer: issuer(),
      amr: ['pwd'],
      mfa: false,
      revokedAt: null,
    });
    expect(session!.expiresAt.getTime() - session!.createdAt.getTime()).toBe(86_400_000);
    expect(session!.idleExpiresAt.getTime() - session!.createdAt.getTime()).toBe(28_800_000);

    const [signIn] = await auditRows({ type: 'session', id: session!.id, action: 'auth.sign_in' });
    expect(signIn).toMatchObject({
      organizationId: org.id,
      actorType: 'user',
      actorId: invited.id,
      changes: { after: { userId: invited.id, issuer: issuer(), subject: sub, mfa: false, provisioned: false } },
    });
    expect(await auditRows({ type: 'user', id: invited.id, action: 'user.identity_bound' })).toHaveLength(1);
  });

  it('records what the provider says of MFA: amr, acr, auth_time and the mfa flag', async () => {
    const { org, domain, login } = await tenantWithSso();
    const user = await insertUser(org.id, 'viewer', { email: `mfa@${domain}` });
    const browser = new Browser();
    expect((await browser.signIn(login, { sub: subject(), email: user.email, mfa: true })).status).toBe(303);
    const res = await browser.fetch('/api/v1/me/sessions');
    const { data } = (await res.json()) as { data: Array<Record<string, unknown>> };
    expect(data).toEqual([
      expect.objectContaining({ current: true, mfa: true, amr: ['pwd', 'mfa'], acr: 'urn:contentos:local:mfa' }),
    ]);
    expect(Date.now() - Date.parse(data[0]!.authTime as string)).toBeLessThan(60_000);
  });

  it('the same provider account signs in again as the same user, even after its email changed at the provider', async () => {
    const { org, domain, login } = await tenantWithSso();
    const user = await insertUser(org.id, 'editor', { email: `renamed@${domain}` });
    const sub = subject();
    expect((await new Browser().signIn(login, { sub, email: user.email })).status).toBe(303);
    const later = new Browser();
    expect((await later.signIn(login, { sub, email: `new-name@${domain}` })).status).toBe(303);
    await expectSignedInAs(later, user.id);
    expect((await userRow(user.id)).email).toBe(user.email);
  });

  it('keeps return_to to paths of this site (400 otherwise), and lands on /api/v1/me by default', async () => {
    const { login } = await tenantWithSso();
    for (const evil of [
      '//evil.example',
      'https://evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
      '/\t/evil.example',
    ]) {
      const res = await new Browser().fetch(`${login}?return_to=${encodeURIComponent(evil)}`);
      expect(res.status, evil).toBe(400);
      expect((await readProblem(res)).errors[0]!.path).toBe('query.return_to');
    }
    const { org, domain } = await tenantWithSso();
    const user = await insertUser(org.id, 'viewer', { email: `home@${domain}` });
    const res = await new Browser().signIn(`/auth/${org.slug}/login`, { sub: subject(), email: user.email });
    expect(res.headers.get('location')).toBe('/api/v1/me');
  });

  it('over https the cookies are __Host- prefixed, Secure, HttpOnly, SameSite=Lax, Path=/', async () => {
    const { org, domain } = await tenantWithSso();
    const user = await insertUser(org.id, 'viewer', { email: `tls@${domain}` });
    const browser = new Browser(BASE.replace('http:', 'https:'));
    const login = await browser.fetch(`/auth/${org.slug}/login`);
    const loginCookie = login.headers.getSetCookie().find((c) => c.startsWith('__Host-cos_login='));
    expect(loginCookie).toMatch(/; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    const callback = await browser.fetch(
      await Browser.authorize(new URL(login.headers.get('location')!), { sub: subject(), email: user.email }),
    );
    expect(callback.status).toBe(303);
    const session = callback.headers.getSetCookie().find((c) => c.startsWith('__Host-cos_session='));
    expect(session).toMatch(/; Max-Age=86400; Path=\/; HttpOnly; Secure; SameSite=Lax/);
    await expectSignedInAs(browser, user.id);
    // The unprefixed name means nothing over https.
    const plain = await new Browser(browser.base).fetch('/api/v1/me', {
      headers: { cookie: `cos_session=${browser.cookies.get('__Host-cos_session')}` },
    });
    expect(plain.status).toBe(401);
  });
});

describe('finding the organization', () => {
  it('by email domain: the one organization listing it, with login_hint passed on', async () => {
    const { org, domain } = await tenantWithSso();
    const user = await insertUser(org.id, 'viewer', { email: `hint@${domain}` });
    const browser = new Browser();
    const authorize = await browser.startSignIn(`/auth/login?email=${encodeURIComponent(user.email)}`);
    expect(authorize.searchParams.get('login_hint')).toBe(user.email);
    expect(
      (await browser.fetch(await Browser.authorize(authorize, { sub: subject(), email: user.email }))).status,
    ).toBe(303);
    await expectSignedInAs(browser, user.id);
  });

  it('refuses a domain two organizations list (409), and one nobody lists (404)', async () => {
    const shared = uniqueDomain();
    await tenantWithSso({ allowedDomains: [shared] });
    await tenantWithSso({ allowedDomains: [shared] });
    const ambiguous = await new Browser().fetch(`/auth/login?email=someone@${shared}`);
    expect(ambiguous.status).toBe(409);
    expect((await readProblem(ambiguous)).code).toBe('sso_domain_ambiguous');
    const unknown = await new Browser().fetch(`/auth/login?email=someone@${uniqueDomain()}`);
    expect(unknown.status).toBe(404);
    expect((await readProblem(unknown)).code).toBe('sso_not_configured');
  });

  it('404 sso_not_configured for an unknown slug, an organization without SSO, and SSO turned off', async () => {
    const bare = await insertOrganization();
    const { org: off } = await tenantWithSso({ enabled: false });
    for (const slug of [`nope-${crypto.randomUUID().slice(0, 8)}`, bare.slug, off.slug]) {
      const res = await new Browser().fetch(`/auth/${slug}/login`);
      expect(res.status, slug).toBe(404);
      expect((await readProblem(res)).code).toBe('sso_not_configured');
    }
  });
});

describe('just-in-time provisioning', () => {
  it('provisions a verified address inside the allowed domains with the default role, bound, audited', async () => {
    const { org, domain, login } = await tenantWithSso({ defaultRole: 'editor' });
    const browser = new Browser();
    const email = `new-${crypto.randomUUID().slice(0, 8)}@${domain}`;
    const sub = subject();
    expect((await browser.signIn(login, { sub, email, name: 'Grace Hopper' })).status).toBe(303);
    const [user] = await db.select().from(users).where(eq(users.email, email));
    expect(user).toMatchObject({
      organizationId: org.id,
      role: 'editor',
      status: 'active',
      idpIssuer: issuer(),
      idpSubject: sub,
      profile: { displayName: 'Grace Hopper' },
    });
    await expectSignedInAs(browser, user!.id);
    const [provision] = await auditRows({ type: 'user', id: user!.id, action: 'user.provision' });
    expect(provision).toMatchObject({ actorType: 'system', organizationId: org.id });
    expect(provision!.changes.after).toMatchObject({ email, role: 'editor', idpSubject: sub });
  });

  it('maps the groups claim to a role, the most powerful match winning; unmapped groups fall back to the default', async () => {
    const { domain, login } = await tenantWithSso({
      defaultRole: 'viewer',
      roleClaim: 'groups',
      roleMapping: { writers: 'editor', admins: 'org_admin', reviewers: 'approver' },
    });
    const cases = [
      { groups: ['writers', 'admins'], role: 'org_admin' },
      { groups: ['reviewers'], role: 'approver' },
      { groups: ['strangers'], role: 'viewer' },
    ];
    for (const { groups, role } of cases) {
      const email = `mapped-${crypto.randomUUID().slice(0, 8)}@${domain}`;
      expect((await new Browser().signIn(login, { sub: subject(), email, groups })).status).toBe(303);
      const [user] = await db.select({ role: users.role }).from(users).where(eq(users.email, email));
      expect(user?.role, groups.join()).toBe(role);
    }
  });

  it('403 sso_domain_not_allowed outside the allowed domains: nobody is created, the refusal is audited', async () => {
    const { org, login } = await tenantWithSso({ defaultRole: 'viewer' });
    const email = uniqueEmail('outsider');
    const res = await new Browser().signIn(login, { sub: subject(), email });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('sso_domain_not_allowed');
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
    const refusals = await auditRows({ type: 'sso', id: org.id, action: 'auth.sign_in_refused' });
    expect(refusals.map((r) => r.changes.after)).toContainEqual(
      expect.objectContaining({ reason: 'sso_domain_not_allowed', email, issuer: issuer() }),
    );
  });

  it('403 sso_invitation_required when no default role is set and no group maps to one', async () => {
    const { domain, login } = await tenantWithSso({
      defaultRole: null,
      roleClaim: 'groups',
      roleMapping: { a: 'editor' },
    });
    const email = `uninvited-${crypto.randomUUID().slice(0, 8)}@${domain}`;
    const res = await new Browser().signIn(login, { sub: subject(), email, groups: ['b'] });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('sso_invitation_required');
    expect(await db.select().from(users).where(eq(users.email, email))).toEqual([]);
  });

  it('401 email_not_verified for an unverified address: it neither finds nor makes an account', async () => {
    const { org, domain, login } = await tenantWithSso({ defaultRole: 'viewer' });
    const invited = await insertUser(org.id, 'editor', { email: `unverified@${domain}` });
    const res = await new Browser().signIn(login, { sub: subject(), email: invited.email, emailVerified: false });
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('email_not_verified');
    expect((await userRow(invited.id)).idpSubject).toBeNull();
  });
});

describe('who the organization may sign in', () => {
  it("403 sso_wrong_organization for another organization's member, whose binding stays untouched", async () => {
    const { domain, login } = await tenantWithSso({ defaultRole: 'viewer' });
    const elsewhere = await insertOrganization();
    // The address is in this organization's domain, but the person is another organization's member.
    const member = await insertUser(elsewhere.id, 'org_admin', { email: `member@${domain}` });
    const res = await new Browser().signIn(login, { sub: subject(), email: member.email });
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('sso_wrong_organization');
    expect(await userRow(member.id)).toMatchObject({ idpSubject: null, organizationId: elsewhere.id });
  });

  it('401 identity_conflict for another provider account naming a bound user by email', async () => {
    const { org, domain, login } = await tenantWithSso();
    const user = await insertUser(org.id, 'editor', { email: `bound@${domain}` });
    const owner = subject();
    expect((await new Browser().signIn(login, { sub: owner, email: user.email })).status).toBe(303);
    const res = await new Browser().signIn(login, { sub: subject(), email: user.email });
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('identity_conflict');
    expect((await userRow(user.id)).idpSubject).toBe(owner);
  });

  it('403 for a suspended or inactive account', async () => {
    const { org, domain, login } = await tenantWithSso();
    for (const status of ['suspended', 'inactive'] as const) {
      const user = await insertUser(org.id, 'editor', {
        email: `${status}-${crypto.randomUUID().slice(0, 6)}@${domain}`,
        status,
      });
      const res = await new Browser().signIn(login, { sub: subject(), email: user.email });
      expect(res.status).toBe(403);
      expect((await readProblem(res)).code).toBe(`account_${status}`);
    }
  });

  it('a user moved to another organization: old sessions die, the old SSO refuses, the new one signs in', async () => {
    const a = await tenantWithSso();
    const b = await tenantWithSso();
    const user = await insertUser(a.org.id, 'editor', {
      email: `mover-${crypto.randomUUID().slice(0, 6)}@${a.domain}`,
    });
    const sub = subject();
    const browser = new Browser();
    expect((await browser.signIn(a.login, { sub, email: user.email })).status).toBe(303);
    await expectSignedInAs(browser, user.id);

    // An operator moves the person (there is no API for it, docs/decisions/0035).
    await db.update(users).set({ organizationId: b.org.id }).where(eq(users.id, user.id));
    const stale = await browser.fetch('/api/v1/me');
    expect(stale.status).toBe(401);
    expect((await readProblem(stale)).code).toBe('invalid_session');

    const viaOld = await new Browser().signIn(a.login, { sub, email: user.email });
    expect(viaOld.status).toBe(403);
    expect((await readProblem(viaOld)).code).toBe('sso_wrong_organization');

    // Both organizations use the same provider here, so the binding (iss, sub) still names the person.
    const moved = new Browser();
    expect((await moved.signIn(b.login, { sub, email: user.email })).status).toBe(303);
    const me = await moved.fetch('/api/v1/me');
    expect(((await me.json()) as { organization: { id: string } }).organization.id).toBe(b.org.id);
  });
});
