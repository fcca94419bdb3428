import { eq } from 'drizzle-orm';
import { describe, expect, inject, it } from 'vitest';
import { DEV_WEBHOOK_SECRET_KEY } from '../../../src/config.ts';
import { authSessions, organizationSso } from '../../../src/db/schema/index.ts';
import { openClientSecret } from '../../../src/services/sso/client-secret.ts';
import { authHeaders, BASE, postJson, readProblem, useHarness } from '../harness.ts';
import { Browser } from './browser.ts';
import { uniqueDomain } from './sso-fixture.ts';

/**
 * GET/PUT/DELETE /api/v1/sso: an organization's administrator configures its provider; a super_admin may
 * for any organization; the client secret is encrypted at rest and never returned; every change is audited.
 */

const { db, useTenant, auditRows, insertUser, insertOrganization } = useHarness();
const tenant = useTenant();
const other = useTenant();

const body = (values: Record<string, unknown> = {}) => ({
  issuer: inject('oidcIssuer'),
  clientId: `client-${crypto.randomUUID().slice(0, 8)}`,
  clientSecret: 'first-secret',
  allowedDomains: [uniqueDomain()],
  defaultRole: 'viewer',
  roleClaim: 'groups',
  roleMapping: { 'cms-editors': 'editor' },
  ...values,
});

const put = (values: Record<string, unknown>, headers: Record<string, string>) =>
  postJson('/api/v1/sso', values, headers, 'PUT');

async function stored(organizationId: string) {
  const [row] = await db.select().from(organizationSso).where(eq(organizationSso.organizationId, organizationId));
  return row;
}

describe('GET /api/v1/sso', () => {
  it('before anything is configured: the redirect URI to register and the sign-in page', async () => {
    const res = await postJson('/api/v1/sso', undefined, tenant.users.org_admin.headers, 'GET');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      configured: false,
      loginUrl: `/auth/${tenant.slug}/login`,
      redirectUri: `${BASE}/auth/callback`,
      issuer: null,
      clientSecretSet: false,
      enabled: false,
    });
  });
});

describe('PUT /api/v1/sso', () => {
  it('configures the provider; the secret is encrypted, bound to the organization, never returned nor audited', async () => {
    const admin = tenant.users.org_admin;
    const values = body({ allowedDomains: ['Example.COM', 'example.com', 'b.example.org'] });
    const res = await put(values, admin.headers);
    expect(res.status, await res.clone().text()).toBe(200);
    const text = await res.clone().text();
    expect(text).not.toContain('first-secret');
    expect(await res.json()).toMatchObject({
      configured: true,
      issuer: inject('oidcIssuer'),
      clientId: values.clientId,
      clientSecretSet: true,
      allowedDomains: ['b.example.org', 'example.com'],
      defaultRole: 'viewer',
      roleClaim: 'groups',
      roleMapping: { 'cms-editors': 'editor' },
      enabled: true,
    });
    const row = (await stored(tenant.id))!;
    expect(row.clientSecretEncrypted).toMatch(/^v1\./);
    expect(row.clientSecretEncrypted).not.toContain('first-secret');
    expect(await openClientSecret(DEV_WEBHOOK_SECRET_KEY, tenant.id, row.clientSecretEncrypted)).toBe('first-secret');
    // Copied to another organization's row, the ciphertext does not open.
    await expect(openClientSecret(DEV_WEBHOOK_SECRET_KEY, other.id, row.clientSecretEncrypted)).rejects.toThrow();

    const audits = await auditRows({ type: 'sso', id: tenant.id, action: 'sso.update' });
    const last = audits.at(-1)!;
    expect(last).toMatchObject({ actorId: admin.id, organizationId: tenant.id });
    expect(last.changes.after).toMatchObject({
      clientId: values.clientId,
      clientSecret: expect.stringMatching(/set|replaced/),
    });
    expect(JSON.stringify(audits)).not.toContain('first-secret');
  });

  it('keeps the stored secret when none is sent, and replaces it when one is', async () => {
    const admin = tenant.users.org_admin;
    expect((await put(body(), admin.headers)).status).toBe(200);
    const before = (await stored(tenant.id))!.clientSecretEncrypted;
    const { clientSecret: _, ...withoutSecret } = body({ enabled: true });
    expect((await put(withoutSecret, admin.headers)).status).toBe(200);
    expect((await stored(tenant.id))!.clientSecretEncrypted).toBe(before);
    expect((await put(body({ clientSecret: 'second-secret' }), admin.headers)).status).toBe(200);
    const row = (await stored(tenant.id))!;
    expect(await openClientSecret(DEV_WEBHOOK_SECRET_KEY, tenant.id, row.clientSecretEncrypted)).toBe('second-secret');
    const last = (await auditRows({ type: 'sso', id: tenant.id, action: 'sso.update' })).at(-1)!;
    expect(last.changes).toMatchObject({ before: { clientSecret: 'previous' }, after: { clientSecret: 'replaced' } });
  });

  it('stores the issuer as the provider spells it', async () => {
    const res = await put(body({ issuer: `${inject('oidcIssuer')}/` }), other.users.org_admin.headers);
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await stored(other.id))!.issuer).toBe(inject('oidcIssuer'));
  });

  it('400 without a secret the first time, and for malformed fields', async () => {
    const fresh = await useFreshAdmin();
    const { clientSecret: _, ...withoutSecret } = body();
    const missing = await put(withoutSecret, fresh.headers);
    expect(missing.status).toBe(400);
    expect((await readProblem(missing)).errors.map((e) => e.path)).toEqual(['body.clientSecret']);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ defaultRole: 'super_admin' }, 'body.defaultRole'],
      [{ allowedDomains: ['not a domain'] }, 'body.allowedDomains.0'],
      [{ roleMapping: { admins: 'super_admin' } }, 'body.roleMapping.admins'],
      [{ issuer: 'ftp://idp.example.com' }, 'body.issuer'],
      [{ clientSecretEncrypted: 'v1.x' }, 'body.clientSecretEncrypted'],
    ];
    for (const [values, path] of bad) {
      const res = await put(body(values), fresh.headers);
      expect(res.status, JSON.stringify(values)).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
    }
  });

  it('422 sso_issuer_invalid for a provider that cannot be used, 503 for one that cannot be reached', async () => {
    const admin = other.users.org_admin;
    const unusable: Array<[string, RegExp]> = [
      ['http://idp.example.com', /https/],
      // The JWKS stand-in answers 404 to discovery.
      [inject('jwksBaseUrl'), /discovery|status/i],
    ];
    for (const [issuer, detail] of unusable) {
      const res = await put(body({ issuer }), admin.headers);
      expect(res.status, issuer).toBe(422);
      const problem = await readProblem(res);
      expect(problem.code).toBe('sso_issuer_invalid');
      expect(problem.detail).toMatch(detail);
    }
    const closed = await put(body({ issuer: 'http://127.0.0.1:1' }), admin.headers);
    expect(closed.status).toBe(503);
    expect((await readProblem(closed)).code).toBe('sso_provider_unavailable');
  });

  it('403 for roles without sso.manage', async () => {
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await put(body(), tenant.users[role].headers);
      expect(res.status, role).toBe(403);
      expect((await postJson('/api/v1/sso', undefined, tenant.users[role].headers, 'GET')).status).toBe(403);
    }
  });

  it("a super_admin configures any organization with X-Organization-Id; an org_admin cannot reach another's", async () => {
    const target = await useFreshAdmin();
    const superAdmin = await authHeaders('super_admin', 'demo', { 'x-organization-id': target.organizationId });
    const values = body();
    expect((await put(values, superAdmin)).status).toBe(200);
    expect((await stored(target.organizationId))!.clientId).toBe(values.clientId);
    const forbidden = await put(body(), {
      ...tenant.users.org_admin.headers,
      'x-organization-id': target.organizationId,
    });
    expect(forbidden.status).toBe(403);
    expect((await readProblem(forbidden)).code).toBe('organization_switch_forbidden');
    // Another organization's admin sees its own settings, never this one's.
    const theirs = await postJson('/api/v1/sso', undefined, tenant.users.org_admin.headers, 'GET');
    expect(((await theirs.json()) as { clientId: string }).clientId).not.toBe(values.clientId);
  });

  it('turning SSO off ends the organization\u2019s sessions and closes its sign-in page', async () => {
    const { admin, login, browser, values } = await signedInMember();
    expect((await put({ ...values, enabled: false }, admin.headers)).status).toBe(200);
    expect((await readProblem(await browser.fetch('/api/v1/me'))).code).toBe('session_revoked');
    expect((await new Browser().fetch(login)).status).toBe(404);
  });
});

describe('DELETE /api/v1/sso', () => {
  it('removes the provider and ends its sessions, audited; removing nothing is 204 and writes nothing', async () => {
    const { admin, browser, organizationId } = await signedInMember();
    const res = await postJson('/api/v1/sso', undefined, admin.headers, 'DELETE');
    expect(res.status).toBe(204);
    expect(await stored(organizationId)).toBeUndefined();
    expect((await readProblem(await browser.fetch('/api/v1/me'))).code).toBe('session_revoked');
    const [deleted, ...more] = await auditRows({ type: 'sso', id: organizationId, action: 'sso.delete' });
    expect(more).toEqual([]);
    expect(deleted).toMatchObject({ actorId: admin.id, changes: { after: {} } });
    expect(deleted!.changes.before).toMatchObject({ issuer: inject('oidcIssuer') });
    const live = await db.select().from(authSessions).where(eq(authSessions.organizationId, organizationId));
    expect(live.every((s) => s.revokedReason === 'sso_removed')).toBe(true);

    expect((await postJson('/api/v1/sso', undefined, admin.headers, 'DELETE')).status).toBe(204);
    expect(await auditRows({ type: 'sso', id: organizationId, action: 'sso.delete' })).toHaveLength(1);
  });

  it('403 for an editor', async () => {
    expect((await postJson('/api/v1/sso', undefined, tenant.users.editor.headers, 'DELETE')).status).toBe(403);
  });
});

/** An org_admin of an organization of its own, nothing configured yet. */
async function useFreshAdmin() {
  const org = await insertOrganization();
  return Object.assign(await insertUser(org.id, 'org_admin'), { slug: org.slug });
}

/** An organization configured through the API, with a member signed in through it. */
async function signedInMember() {
  const admin = await useFreshAdmin();
  const domain = uniqueDomain();
  const values = body({ allowedDomains: [domain], defaultRole: 'viewer' });
  expect((await put(values, admin.headers)).status).toBe(200);
  const login = `/auth/${admin.slug}/login`;
  const browser = new Browser();
  const res = await browser.signIn(login, { sub: `idp|${crypto.randomUUID()}`, email: `member@${domain}` });
  expect(res.status, await res.clone().text()).toBe(303);
  return { admin, login, browser, values, organizationId: admin.organizationId };
}
