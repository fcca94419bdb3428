import { describe, expect, it } from 'vitest';
import type { UserResource } from '../../../src/routes/shared/user-schema.ts';
import { ORG_ID, authHeaders, jsonHeaders, tokenForUser, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { expectInvalid, expectTooDeep, nestedProfileJson, userRow } from './fixtures.ts';
import { uniqueEmail, useHarness } from '../harness.ts';

const { db, auditRows, insertUser, insertOrganization } = useHarness();

type Role = Parameters<typeof authHeaders>[0];
type Org = Parameters<typeof authHeaders>[1];

const patchWith = (headers: Record<string, string>, id: string, body: unknown) =>
  call(`/api/v1/users/${id}`, { method: 'PATCH', headers: jsonHeaders(headers), body: JSON.stringify(body) });

const patch = async (
  id: string,
  body: unknown,
  role: Role = 'org_admin',
  org: Org = 'demo',
  extra: Record<string, string> = {},
) => patchWith(await authHeaders(role, org, extra), id, body);

/** A fresh organization with `admins` active org_admins, so the last-admin rule can be exercised in isolation. */
async function organizationWithAdmins(admins: number) {
  const org = await insertOrganization();
  const list = [];
  for (let i = 0; i < admins; i++) list.push(await insertUser(org.id, 'org_admin'));
  const asSuper = async (id: string, body: unknown) =>
    patch(id, body, 'super_admin', 'demo', { 'x-organization-id': org.id });
  return { org, admins: list, asSuper };
}

describe('PATCH /api/v1/users/{id}', () => {
  it('changes role and status, and audits exactly the changed fields', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    const res = await patch(user.id, { role: 'editor', status: 'inactive' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as UserResource;
    expect(body).toMatchObject({ id: user.id, role: 'editor', status: 'inactive', email: user.email });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(user.updatedAt.getTime());
    expect(await userRow(db, user.id)).toMatchObject({ role: 'editor', status: 'inactive' });

    const [audit, ...more] = await auditRows({ type: 'user', id: user.id });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({
      action: 'user.update',
      organizationId: ORG_ID.demo,
      actorType: 'user',
      actorId: userId('org_admin'),
    });
    expect(audit!.changes).toEqual({
      before: { role: 'viewer', status: 'active' },
      after: { role: 'editor', status: 'inactive' },
    });
  });

  it('replaces the profile; every PATCH is audited, even one that changes nothing', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const res = await patch(user.id, { profile: { displayName: 'Renamed', locale: 'fr' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as UserResource).profile).toEqual({ displayName: 'Renamed', locale: 'fr' });
    const same = await patch(user.id, { role: 'editor' });
    expect(same.status).toBe(200);

    const audits = await auditRows({ type: 'user', id: user.id });
    expect(audits.map((a) => a.action)).toEqual(['user.update', 'user.update']);
    expect(audits[0]!.changes).toEqual({
      before: { profile: { displayName: 'Test user' } },
      after: { profile: { displayName: 'Renamed', locale: 'fr' } },
    });
    expect(audits[1]!.changes).toEqual({ before: {}, after: {} });
  });

  it('400 for an empty body, unknown or server-owned fields (named), and bad values; nothing changes', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    for (const [body, path] of [
      [{}, 'body'],
      [{ email: 'new@example.com' }, 'body.email'],
      [{ organizationId: ORG_ID.globex }, 'body.organizationId'],
      [{ organization_id: ORG_ID.globex }, 'body.organization_id'],
      [{ id: crypto.randomUUID() }, 'body.id'],
      [{ lastLogin: null }, 'body.lastLogin'],
      [{ createdAt: '2020-01-01T00:00:00Z' }, 'body.createdAt'],
      [{ updatedAt: '2020-01-01T00:00:00Z' }, 'body.updatedAt'],
      [{ role: 'owner' }, 'body.role'],
      [{ status: 'deleted' }, 'body.status'],
      [{ profile: null }, 'body.profile'],
    ] as const) {
      await expectInvalid(await patch(user.id, body), path, JSON.stringify(body));
    }
    expect(await userRow(db, user.id)).toMatchObject({
      role: 'viewer',
      status: 'active',
      organizationId: ORG_ID.demo,
      email: user.email,
    });
    expect(await auditRows({ type: 'user', id: user.id })).toEqual([]);
  });

  it('422 profile_too_large over 8 KB', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    const res = await patch(user.id, { profile: { bio: 'é'.repeat(4 * 1024) } });
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('profile_too_large');
  });

  // Serializing a profile nested thousands of levels deep throws RangeError (a 500 before).
  it('400 naming body.profile for a profile nested deeper than 16 levels; nothing changes; 16 levels are fine', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    const send = async (depth: number) =>
      call(`/api/v1/users/${user.id}`, {
        method: 'PATCH',
        headers: jsonHeaders(await authHeaders('org_admin')),
        body: `{"profile":${nestedProfileJson(depth)}}`,
      });
    for (const depth of [5_000, 17]) await expectTooDeep(await send(depth), `depth ${depth}`);
    expect((await userRow(db, user.id))?.profile).toEqual({ displayName: 'Test user' });
    expect(await auditRows({ type: 'user', id: user.id })).toEqual([]);
    const fits = await send(16);
    expect(fits.status).toBe(200);
    expect(((await fits.json()) as UserResource).profile).toEqual(JSON.parse(nestedProfileJson(16)));
  });

  it('an org_admin can neither grant super_admin nor modify a super_admin (403); nothing changes', async () => {
    const user = await insertUser(ORG_ID.demo, 'editor');
    const grant = await patch(user.id, { role: 'super_admin' });
    expect(grant.status).toBe(403);
    expect((await readProblem(grant)).code).toBe('super_admin_required');
    expect((await userRow(db, user.id))?.role).toBe('editor');

    const superAdmin = await insertUser(ORG_ID.demo, 'super_admin');
    for (const body of [{ status: 'suspended' }, { role: 'viewer' }, { profile: { displayName: 'x' } }]) {
      const res = await patch(superAdmin.id, body);
      expect(res.status, JSON.stringify(body)).toBe(403);
    }
    expect(await userRow(db, superAdmin.id)).toMatchObject({
      role: 'super_admin',
      status: 'active',
      profile: { displayName: 'Test user' },
    });
    expect(await auditRows({ type: 'user', id: superAdmin.id })).toEqual([]);

    // A super_admin may.
    const promoted = await patch(user.id, { role: 'super_admin' }, 'super_admin');
    expect(promoted.status).toBe(200);
    expect((await userRow(db, user.id))?.role).toBe('super_admin');
  });

  it('422 cannot_modify_self for one’s own role or status; one’s own profile is fine', async () => {
    const admin = await insertUser(ORG_ID.demo, 'org_admin');
    const headers = admin.headers;
    for (const body of [{ role: 'editor' }, { status: 'inactive' }, { role: 'org_admin', status: 'suspended' }]) {
      const res = await patchWith(headers, admin.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(res)).code).toBe('cannot_modify_self');
    }
    expect(await userRow(db, admin.id)).toMatchObject({ role: 'org_admin', status: 'active' });
    const profile = await patchWith(headers, admin.id, { profile: { displayName: 'Me' }, role: 'org_admin' });
    expect(profile.status).toBe(200);

    const superAdmin = await insertUser(ORG_ID.demo, 'super_admin');
    const selfDemote = await patchWith(superAdmin.headers, superAdmin.id, { role: 'viewer' });
    expect(selfDemote.status).toBe(422);
    expect((await userRow(db, superAdmin.id))?.role).toBe('super_admin');
  });

  it('422 last_org_admin: the last active org_admin can be neither demoted nor deactivated', async () => {
    const { admins, asSuper } = await organizationWithAdmins(2);
    const [first, second] = admins as [(typeof admins)[0], (typeof admins)[0]];
    // Two admins: one may go.
    expect((await asSuper(second.id, { status: 'suspended' })).status).toBe(200);
    for (const body of [{ role: 'editor' }, { status: 'inactive' }, { status: 'suspended' }]) {
      const res = await asSuper(first.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await readProblem(res)).code).toBe('last_org_admin');
    }
    expect(await userRow(db, first.id)).toMatchObject({ role: 'org_admin', status: 'active' });
    // Unrelated changes to the last admin still work, and restoring another admin lifts the rule.
    expect((await asSuper(first.id, { profile: { displayName: 'Still here' } })).status).toBe(200);
    expect((await asSuper(second.id, { status: 'active' })).status).toBe(200);
    expect((await asSuper(first.id, { role: 'editor' })).status).toBe(200);
  });

  it('two admins demoting each other at once: exactly one wins, one active org_admin remains', async () => {
    const { org, admins } = await organizationWithAdmins(2);
    const [a, b] = admins as [(typeof admins)[0], (typeof admins)[0]];
    const [ha, hb] = [a.headers, b.headers];
    const results = await Promise.all([
      patchWith(ha, b.id, { role: 'viewer' }),
      patchWith(hb, a.id, { role: 'viewer' }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // The loser either passed authentication first (422 last_org_admin) or came after and is a viewer now (403).
    expect([403, 422]).toContain(statuses[1]);
    const rows = await Promise.all([userRow(db, a.id), userRow(db, b.id)]);
    expect(rows.filter((r) => r?.role === 'org_admin' && r.status === 'active')).toHaveLength(1);
    expect(rows.every((r) => r?.organizationId === org.id)).toBe(true);
  });

  it('404 for another organization’s user, and nothing changes', async () => {
    const demoUser = await insertUser(ORG_ID.demo, 'viewer');
    const res = await patch(demoUser.id, { role: 'editor', status: 'suspended' }, 'org_admin', 'globex');
    expect(res.status).toBe(404);
    expect((await readProblem(res)).code).toBe('not_found');
    expect(await userRow(db, demoUser.id)).toMatchObject({ role: 'viewer', status: 'active' });
    expect(await auditRows({ type: 'user', id: demoUser.id })).toEqual([]);
    // The seeded demo editor too.
    expect((await patch(userId('editor'), { status: 'suspended' }, 'org_admin', 'globex')).status).toBe(404);
    expect((await userRow(db, userId('editor')))?.status).toBe('active');
  });

  it('a suspended or inactive user is refused (403) on every request', async () => {
    for (const status of ['suspended', 'inactive'] as const) {
      const created = await call('/api/v1/users', {
        method: 'POST',
        headers: jsonHeaders(await authHeaders('org_admin')),
        body: JSON.stringify({ email: uniqueEmail(status), role: 'editor' }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as UserResource;
      const token = { authorization: `Bearer ${await tokenForUser(id)}` };
      expect((await call('/api/v1/me', { headers: token })).status).toBe(200);

      expect((await patch(id, { status })).status).toBe(200);
      const refused = await call('/api/v1/me', { headers: token });
      expect(refused.status, status).toBe(403);
      expect((await readProblem(refused)).code).toBe(`account_${status}`);
    }
  });

  it('401 without credentials; 403 for roles without users.manage; nothing changes', async () => {
    const user = await insertUser(ORG_ID.demo, 'viewer');
    const anonymous = await call(`/api/v1/users/${user.id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"role":"editor"}',
    });
    expect(anonymous.status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      expect((await patch(user.id, { role: 'editor' }, role)).status, role).toBe(403);
    }
    expect((await userRow(db, user.id))?.role).toBe('viewer');
  });
});
