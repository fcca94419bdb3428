import { describe, expect, it } from 'vitest';
import { organizations } from '../../../src/db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { authHeaders, ORG_ID, postJson, readProblem, useHarness, userId } from '../harness.ts';
import { tokenForUser } from '../auth.ts';
import { ANY_MEMBER_ROUTE, apiKeyHeaders, get, withoutMfa } from './fixtures.ts';

const h = useHarness();
const PATH = '/api/v1/security-policy';
const put = (body: unknown, headers: Record<string, string>) => postJson(PATH, body, headers, 'PUT');

describe('GET /api/v1/security-policy', () => {
  it('a new organization has the default: super_admin and org_admin, no max_age, built-in TOTP on', async () => {
    const tenant = await h.newTenant();
    const res = await get(PATH, tenant.users.org_admin.headers);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      organizationId: tenant.id,
      mfa: { requiredRoles: ['super_admin', 'org_admin'], maxAgeSeconds: null, builtInTotp: true },
    });
  });

  it('needs security.manage: members below org_admin are 403', async () => {
    const tenant = await h.newTenant();
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await get(PATH, tenant.users[role].headers);
      expect(res.status, role).toBe(403);
    }
  });
});

describe('PUT /api/v1/security-policy', () => {
  it('an org_admin adds approver and a max_age; members feel it on their next request; audited with what changed', async () => {
    const tenant = await h.newTenant();
    const approver = await withoutMfa(tenant.users.approver);
    expect((await get(ANY_MEMBER_ROUTE, approver)).status).toBe(200);

    const res = await put(
      { mfa: { requiredRoles: ['org_admin', 'approver'], maxAgeSeconds: 3600 } },
      tenant.users.org_admin.headers,
    );
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toEqual({
      organizationId: tenant.id,
      // super_admin stays, whatever the list says; roles in the table's order.
      mfa: { requiredRoles: ['super_admin', 'org_admin', 'approver'], maxAgeSeconds: 3600, builtInTotp: true },
    });
    expect((await get(ANY_MEMBER_ROUTE, approver)).status).toBe(401);
    expect((await get(ANY_MEMBER_ROUTE, tenant.users.approver.headers)).status).toBe(200);

    const [entry] = await h.auditRows({
      type: 'organization',
      id: tenant.id,
      action: 'organization.security_policy_update',
    });
    expect(entry).toMatchObject({ actorId: tenant.users.org_admin.id, actorType: 'user' });
    expect(entry!.changes).toEqual({
      before: { mfaRequiredRoles: ['super_admin', 'org_admin'], mfaMaxAgeSeconds: null },
      after: { mfaRequiredRoles: ['super_admin', 'org_admin', 'approver'], mfaMaxAgeSeconds: 3600 },
    });
  });

  it('takes org_admin off the list, turns built-in TOTP off; a request that changes nothing writes nothing', async () => {
    const tenant = await h.newTenant();
    const admin = tenant.users.org_admin.headers;
    const res = await put({ mfa: { requiredRoles: [], builtInTotp: false } }, admin);
    expect(await res.json()).toMatchObject({ mfa: { requiredRoles: ['super_admin'], builtInTotp: false } });
    expect((await get(ANY_MEMBER_ROUTE, await withoutMfa(tenant.users.org_admin))).status).toBe(200);
    expect((await put({ mfa: { builtInTotp: false } }, admin)).status).toBe(200);
    const entries = await h.auditRows({
      type: 'organization',
      id: tenant.id,
      action: 'organization.security_policy_update',
    });
    expect(entries).toHaveLength(1);
  });

  it('refuses malformed policies with 400 naming the field', async () => {
    const tenant = await h.newTenant();
    const admin = tenant.users.org_admin.headers;
    const bad: Array<[unknown, string]> = [
      [{}, 'body.mfa'],
      [{ mfa: {} }, 'body.mfa'],
      [{ mfa: { requiredRoles: ['owner'] } }, 'body.mfa.requiredRoles.0'],
      [{ mfa: { maxAgeSeconds: 59 } }, 'body.mfa.maxAgeSeconds'],
      [{ mfa: { maxAgeSeconds: 30 * 86_400 + 1 } }, 'body.mfa.maxAgeSeconds'],
      [{ mfa: { maxAgeSeconds: 1.5 } }, 'body.mfa.maxAgeSeconds'],
      [{ mfa: { builtInTotp: 'yes' } }, 'body.mfa.builtInTotp'],
      [{ mfa: { builtInTotp: true, amr: ['pwd'] } }, 'body.mfa.amr'],
    ];
    for (const [body, path] of bad) {
      const res = await put(body, admin);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const problem = await readProblem(res);
      expect(
        problem.errors.map((e) => e.path),
        JSON.stringify(body),
      ).toContain(path);
    }
    const [row] = await h.db.select().from(organizations).where(eq(organizations.id, tenant.id));
    expect(row).toMatchObject({ mfaRequiredRoles: ['super_admin', 'org_admin'], mfaMaxAgeSeconds: null });
  });

  it('an org_admin without MFA cannot weaken the policy (401 before anything is read)', async () => {
    const tenant = await h.newTenant();
    const res = await put({ mfa: { requiredRoles: [] } }, await withoutMfa(tenant.users.org_admin));
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('insufficient_user_authentication');
  });

  it('each organization has its own: a super_admin sets another one through X-Organization-Id, an org_admin only its own', async () => {
    const tenant = await h.newTenant();
    const superAdmin = {
      authorization: `Bearer ${await tokenForUser(userId('super_admin'))}`,
      'x-organization-id': tenant.id,
    };
    const res = await put({ mfa: { maxAgeSeconds: 600 } }, superAdmin);
    expect(await res.json()).toMatchObject({ organizationId: tenant.id, mfa: { maxAgeSeconds: 600 } });
    const demo = (await (await get(PATH, await authHeaders('org_admin'))).json()) as { organizationId: string };
    expect(demo.organizationId).toBe(ORG_ID.demo);
    const switched = await get(PATH, await authHeaders('org_admin', 'demo', { 'x-organization-id': tenant.id }));
    expect(switched.status).toBe(403);
  });

  it('an org_admin API key follows its creator like any key (docs/decisions/0026), and is not asked for MFA', async () => {
    const tenant = await h.newTenant();
    const key = await apiKeyHeaders(h.db, tenant.users.org_admin, 'org_admin');
    expect((await get(PATH, key)).status).toBe(200);
    const editorKey = await apiKeyHeaders(h.db, tenant.users.org_admin, 'editor');
    expect((await get(PATH, editorKey)).status).toBe(403);
  });
});
