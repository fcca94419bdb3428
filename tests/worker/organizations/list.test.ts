import { describe, expect, it } from 'vitest';
import type { OrganizationResource } from '../../../src/routes/organizations/schemas.ts';
import { ORG_ID, authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { BAD_PAGINATION, expectInvalid } from '../users/fixtures.ts';
import { listAll, unique, useHarness } from '../harness.ts';

const { insertOrganization } = useHarness();

interface Page {
  data: OrganizationResource[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

const list = async (query: string, role: Parameters<typeof authHeaders>[0] = 'super_admin') =>
  call(`/api/v1/organizations${query}`, { headers: await authHeaders(role) });

describe('GET /api/v1/organizations', () => {
  it('lists every organization, newest first, with page metadata', async () => {
    const fresh = await insertOrganization({ apiRateLimitPerMinute: 42 });
    const res = await list('?limit=100');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page;
    expect(body).toMatchObject({ page: 1, limit: 100 });
    expect(body.totalPages).toBe(Math.ceil(body.total / 100));
    // Other test files create organizations too: the seeded ones may be past the first page.
    const ids = (await listAll<OrganizationResource>('/api/v1/organizations', await authHeaders('super_admin'))).map(
      (o) => o.id,
    );
    expect(ids).toEqual(expect.arrayContaining([ORG_ID.demo, ORG_ID.globex, fresh.id]));
    expect(ids.indexOf(fresh.id)).toBeLessThan(ids.indexOf(ORG_ID.demo));
    expect(body.data.find((o) => o.id === fresh.id)).toEqual({
      id: fresh.id,
      name: fresh.name,
      slug: fresh.slug,
      apiRateLimitPerMinute: 42,
      createdAt: fresh.createdAt.toISOString(),
      updatedAt: fresh.updatedAt.toISOString(),
    });
  });

  it('searches name or slug case-insensitively', async () => {
    const fresh = await insertOrganization();
    const bySlug = (await (await list(`?q=${fresh.slug.toUpperCase()}`)).json()) as Page;
    expect(bySlug.data.map((o) => o.id)).toEqual([fresh.id]);
    const byName = (await (await list(`?q=${encodeURIComponent(fresh.name.toLowerCase())}`)).json()) as Page;
    expect(byName.data.map((o) => o.id)).toEqual([fresh.id]);
    const globex = (await (await list('?q=Globex')).json()) as Page;
    expect(globex.data.map((o) => o.slug)).toContain('globex');
    expect(globex.data.map((o) => o.slug)).not.toContain('demo');
  });

  it('pages through a search, newest first, without overlap', async () => {
    const marker = unique();
    const mine = [];
    for (let i = 0; i < 3; i++) mine.push(await insertOrganization({ name: `Paged ${marker} ${i}` }));
    const first = (await (await list(`?q=paged ${marker}&limit=2&page=1`)).json()) as Page;
    const second = (await (await list(`?q=paged ${marker}&limit=2&page=2`)).json()) as Page;
    expect(first).toMatchObject({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect(second).toMatchObject({ page: 2, total: 3, totalPages: 2 });
    expect([...first.data, ...second.data].map((o) => o.id)).toEqual(mine.map((o) => o.id).reverse());
  });

  it('400 for out-of-range or malformed query parameters', async () => {
    for (const [query, path] of [...BAD_PAGINATION, ['?status=active', 'query.status']] as const) {
      await expectInvalid(await list(query), path, query);
    }
  });

  it('401 without credentials; 403 for everyone but a super_admin', async () => {
    expect((await call('/api/v1/organizations')).status).toBe(401);
    for (const role of ['org_admin', 'editor', 'approver', 'viewer'] as const) {
      const res = await list('', role);
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });
});
