import { describe, expect, it } from 'vitest';
import type { OrganizationResource } from '../../../src/routes/organizations/schemas.ts';
import { ORG_ID, authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';

const get = async (id: string, role: Parameters<typeof authHeaders>[0] = 'super_admin') =>
  call(`/api/v1/organizations/${id}`, { headers: await authHeaders(role) });

describe('GET /api/v1/organizations/{id}', () => {
  it('200 for any organization, not only the one acted in', async () => {
    const res = await get(ORG_ID.globex);
    expect(res.status).toBe(200);
    const org = (await res.json()) as OrganizationResource;
    expect(org).toMatchObject({ id: ORG_ID.globex, name: 'Globex Research', slug: 'globex' });
    expect(Object.keys(org).sort()).toEqual(['apiRateLimitPerMinute', 'createdAt', 'id', 'name', 'slug', 'updatedAt']);
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    const unknown = await get(crypto.randomUUID());
    expect(unknown.status).toBe(404);
    expect((await readProblem(unknown)).code).toBe('not_found');
    const malformed = await get('globex');
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors[0]?.path).toBe('path.id');
  });

  it('401 without credentials; 403 for an org_admin, even for its own organization', async () => {
    expect((await call(`/api/v1/organizations/${ORG_ID.demo}`)).status).toBe(401);
    for (const role of ['org_admin', 'editor', 'viewer'] as const) {
      const res = await get(ORG_ID.demo, role);
      expect(res.status, role).toBe(403);
    }
  });
});
