import { describe, expect, it } from 'vitest';
import type { UserResource } from '../../../src/routes/shared/user-schema.ts';
import { ORG_ID, authHeaders, tokenForUser, userEmail, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';

const get = async (
  id: string,
  role: Parameters<typeof authHeaders>[0] = 'org_admin',
  org: Parameters<typeof authHeaders>[1] = 'demo',
  extra: Record<string, string> = {},
) => call(`/api/v1/users/${id}`, { headers: await authHeaders(role, org, extra) });

describe('GET /api/v1/users/{id}', () => {
  it('200 with the user resource', async () => {
    const res = await get(userId('approver'));
    expect(res.status).toBe(200);
    const user = (await res.json()) as UserResource;
    expect(user).toMatchObject({
      id: userId('approver'),
      email: userEmail('approver'),
      role: 'approver',
      status: 'active',
      organizationId: ORG_ID.demo,
    });
    expect(user.profile).toEqual({ displayName: 'Demo Capital Markets approver' });
    expect(Date.parse(user.createdAt)).not.toBeNaN();
  });

  it('404 for another organization’s user, exactly like an unknown id', async () => {
    const foreign = await get(userId('editor'), 'org_admin', 'globex');
    expect(foreign.status).toBe(404);
    const unknown = await get(crypto.randomUUID(), 'org_admin', 'globex');
    expect(unknown.status).toBe(404);
    const [a, b] = [await readProblem(foreign), await readProblem(unknown)];
    expect({ code: a.code, detail: a.detail }).toEqual({ code: b.code, detail: b.detail });
    expect(a.code).toBe('not_found');
  });

  it('a super_admin reads another organization’s user only while acting in it', async () => {
    expect((await get(userId('editor', 'globex'), 'super_admin')).status).toBe(404);
    const res = await get(userId('editor', 'globex'), 'super_admin', 'demo', { 'x-organization-id': ORG_ID.globex });
    expect(res.status).toBe(200);
    expect(((await res.json()) as UserResource).organizationId).toBe(ORG_ID.globex);
  });

  it('400 for a malformed id', async () => {
    const res = await get('not-a-uuid');
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors[0]?.path).toBe('path.id');
  });

  it('401 without credentials or for a token naming no user in the database; 403 for roles without users.read', async () => {
    const anonymous = await call(`/api/v1/users/${userId('editor')}`);
    expect(anonymous.status).toBe(401);
    const ghost = await call(`/api/v1/users/${userId('editor')}`, {
      headers: { authorization: `Bearer ${await tokenForUser(crypto.randomUUID())}` },
    });
    expect(ghost.status).toBe(401);
    expect((await readProblem(ghost)).code).toBe('unknown_principal');
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await get(userId('editor'), role);
      expect(res.status, role).toBe(403);
    }
  });
});
