import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { permissionTable } from '../../../src/auth/permissions.ts';
import { users, type UserRole, type UserStatus } from '../../../src/db/schema/index.ts';
import { jsonHeaders, ORG_ID } from '../auth.ts';
import { unique, useHarness } from '../harness.ts';
import { call, readProblem } from '../helpers.ts';
import { createKey, createKeyRequest, keyHeaders } from './fixtures.ts';

/**
 * A key acts for its creator, so it never outlasts the creator's own access: what it may do is its role's
 * actions that the creator's role holds at the time of each request, and a creator who can no longer sign
 * in leaves a key that no longer authenticates.
 */

const { db, insertOrganization, insertUser } = useHarness();

/** An organization and an org_admin of our own: demoting or suspending a seeded user would change other tests. */
async function organizationWithAdmin() {
  const org = await insertOrganization({ name: `Key creator ${unique()}` });
  return { org, admin: await insertUser(org.id, 'org_admin') };
}

const setCreator = (id: string, changes: { role?: UserRole; status?: UserStatus }) =>
  db.update(users).set(changes).where(eq(users.id, id));

const setPolicy = (headers: Record<string, string>) =>
  call('/api/v1/editorial-policy', {
    method: 'PUT',
    headers: jsonHeaders(headers),
    body: JSON.stringify({ approvalThreshold: 6 }),
  });

const createContent = (headers: Record<string, string>) =>
  call('/api/v1/content', {
    method: 'POST',
    headers: jsonHeaders(headers),
    body: JSON.stringify({ type: 'custom', title: `By a key ${unique()}`, platforms: ['web'] }),
  });

async function expectInvalidKey(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="contentos", error="invalid_token"');
  expect((await readProblem(res)).code).toBe('invalid_api_key');
}

async function adminKey() {
  const { org, admin } = await organizationWithAdmin();
  const key = await createKey({ role: 'org_admin' }, { headers: admin.headers });
  return { org, admin, key, headers: keyHeaders(key.secret) };
}

describe("an API key's power follows its creator's current role", () => {
  it('an org_admin key of a creator demoted to editor does what an editor does, and no more', async () => {
    const { admin, headers } = await adminKey();
    expect((await createKeyRequest({ name: `k ${unique()}`, role: 'viewer' }, headers)).status).toBe(201);
    expect((await setPolicy(headers)).status).toBe(200);

    await setCreator(admin.id, { role: 'editor' });
    for (const res of [
      await createKeyRequest({ name: `k ${unique()}`, role: 'viewer' }, headers),
      await setPolicy(headers),
      await call('/api/v1/users', { headers }),
      await call('/api/v1/audit-log', { headers }),
    ]) {
      expect(res.status, res.url).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
    expect((await createContent(headers)).status).toBe(201);
  });

  it('/me and /me/permissions show the key role and what the key may do now', async () => {
    const { admin, headers } = await adminKey();
    await setCreator(admin.id, { role: 'approver' });
    const permissions = await call('/api/v1/me/permissions', { headers });
    expect(permissions.status).toBe(200);
    expect(await permissions.json()).toMatchObject({ role: 'org_admin', permissions: [...permissionTable.approver] });
    const me = await call('/api/v1/me', { headers });
    expect(await me.json()).toMatchObject({
      principalType: 'api_key',
      role: 'org_admin',
      permissions: [...permissionTable.approver],
    });
  });

  it('an editor key of a creator now an approver holds only what both roles hold', async () => {
    const { admin } = await organizationWithAdmin();
    const key = await createKey({ role: 'editor' }, { headers: admin.headers });
    const headers = keyHeaders(key.secret);
    await setCreator(admin.id, { role: 'approver' });
    const body = (await (await call('/api/v1/me/permissions', { headers })).json()) as { permissions: string[] };
    expect(body.permissions).toEqual(permissionTable.editor.filter((a) => permissionTable.approver.includes(a)));
    expect(body.permissions).toEqual(['content.read', 'content.update_own', 'content.publish']);
    expect((await createContent(headers)).status).toBe(403);
  });

  it('evaluated at every request: promoted back, the key is an org_admin key again', async () => {
    const { admin, headers } = await adminKey();
    await setCreator(admin.id, { role: 'viewer' });
    expect((await setPolicy(headers)).status).toBe(403);
    await setCreator(admin.id, { role: 'org_admin' });
    expect((await setPolicy(headers)).status).toBe(200);
  });

  it('a creator suspended or inactive leaves a key that is 401 like a revoked one; reactivated, it works again', async () => {
    const { admin, headers } = await adminKey();
    for (const status of ['suspended', 'inactive'] as const) {
      await setCreator(admin.id, { status });
      await expectInvalidKey(await call('/api/v1/me', { headers }));
      await expectInvalidKey(await setPolicy(headers));
    }
    await setCreator(admin.id, { status: 'active' });
    expect((await call('/api/v1/me', { headers })).status).toBe(200);
  });

  it('a creator cannot leave the organization while a key of theirs exists (the key would act nowhere)', async () => {
    const { admin, headers } = await adminKey();
    const refused = await db
      .update(users)
      .set({ organizationId: ORG_ID.globex })
      .where(eq(users.id, admin.id))
      .then(
        () => undefined,
        (err: unknown) => err as { cause?: { code?: string; constraint?: string } },
      );
    expect(refused?.cause).toMatchObject({ code: '23503', constraint: 'api_keys_creator_same_organization_fk' });
    expect((await call('/api/v1/me', { headers })).status).toBe(200);
  });
});
