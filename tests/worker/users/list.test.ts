import { describe, expect, it } from 'vitest';
import type { UserResource } from '../../../src/routes/shared/user-schema.ts';
import { ORG_ID, authHeaders, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { BAD_PAGINATION, expectInvalid } from './fixtures.ts';
import { unique, useHarness } from '../harness.ts';

const { insertUser } = useHarness();

interface Page {
  data: UserResource[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

const list = async (
  query: string,
  role: Parameters<typeof authHeaders>[0] = 'org_admin',
  org: Parameters<typeof authHeaders>[1] = 'demo',
  extra: Record<string, string> = {},
) => call(`/api/v1/users${query}`, { headers: await authHeaders(role, org, extra) });

describe('GET /api/v1/users', () => {
  it('lists the organization’s users newest first, with page metadata', async () => {
    const res = await list('?limit=100');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Page;
    expect(body).toMatchObject({ page: 1, limit: 100 });
    expect(body.total).toBeGreaterThanOrEqual(5);
    expect(body.totalPages).toBe(Math.ceil(body.total / 100));
    expect(body.data.every((u) => u.organizationId === ORG_ID.demo)).toBe(true);
    const created = body.data.map((u) => u.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    // Other suites add users to demo, so the seeded ones are looked up rather than expected on page one.
    const editor = ((await (await list('?q=editor@demo.example.com')).json()) as Page).data;
    expect(editor).toHaveLength(1);
    expect(editor[0]).toMatchObject({
      id: userId('editor'),
      email: 'editor@demo.example.com',
      role: 'editor',
      status: 'active',
    });
    expect(Object.keys(editor[0]!).sort()).toEqual([
      'createdAt',
      'email',
      'id',
      'lastLogin',
      'organizationId',
      'profile',
      'role',
      'status',
      'updatedAt',
    ]);
    const supers = ((await (await list('?role=super_admin&limit=100')).json()) as Page).data;
    expect(supers.map((u) => u.id)).toContain(userId('super_admin'));
  });

  it('pages through a filtered list, newest first, without overlap', async () => {
    const marker = unique();
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push(await insertUser(ORG_ID.demo, 'viewer', { email: `page-${marker}-${i}@example.com` }));
    const first = (await (await list(`?q=page-${marker}&limit=2&page=1`)).json()) as Page;
    const second = (await (await list(`?q=page-${marker}&limit=2&page=2`)).json()) as Page;
    expect(first).toMatchObject({ page: 1, limit: 2, total: 3, totalPages: 2 });
    expect(second).toMatchObject({ page: 2, limit: 2, total: 3, totalPages: 2 });
    expect([...first.data, ...second.data].map((u) => u.id)).toEqual(mine.map((u) => u.id).reverse());
    const beyond = (await (await list(`?q=page-${marker}&limit=2&page=3`)).json()) as Page;
    expect(beyond).toMatchObject({ data: [], total: 3 });
  });

  it('filters by role, status and a case-insensitive email search', async () => {
    const marker = unique();
    const suspended = await insertUser(ORG_ID.demo, 'approver', {
      status: 'suspended',
      email: `Found-${marker}@Example.com`,
    });

    const byQ = (await (await list(`?q=FOUND-${marker.toUpperCase()}`)).json()) as Page;
    expect(byQ.total).toBe(1);
    expect(byQ.data[0]?.id).toBe(suspended.id);

    const byStatus = (await (await list('?status=suspended&limit=100')).json()) as Page;
    expect(byStatus.data.map((u) => u.id)).toContain(suspended.id);
    expect(byStatus.data.every((u) => u.status === 'suspended')).toBe(true);

    const byRole = (await (await list('?role=editor&limit=100')).json()) as Page;
    expect(byRole.data.length).toBeGreaterThan(0);
    expect(byRole.data.every((u) => u.role === 'editor')).toBe(true);

    const combined = (await (await list(`?role=editor&q=${marker}`)).json()) as Page;
    expect(combined.total).toBe(0);

    // % and _ are literal: as LIKE patterns both would match `found-<marker>`.
    for (const pattern of [`found%25${marker}`, `found_${marker}`]) {
      const literal = (await (await list(`?q=${pattern}`)).json()) as Page;
      expect(literal.total, pattern).toBe(0);
    }
  });

  it('400 for out-of-range or malformed page and limit, naming the parameter', async () => {
    for (const [query, path] of [
      ...BAD_PAGINATION,
      ['?role=owner', 'query.role'],
      ['?status=deleted', 'query.status'],
      ['?sort=email', 'query.sort'],
    ] as const) {
      await expectInvalid(await list(query), path, query);
    }
  });

  it('is scoped to the organization acted in: globex sees only globex, a super_admin picks with X-Organization-Id', async () => {
    const globex = (await (await list('?limit=100', 'org_admin', 'globex')).json()) as Page;
    expect(globex.data.length).toBeGreaterThan(0);
    expect(globex.data.every((u) => u.organizationId === ORG_ID.globex)).toBe(true);
    const demoEditorFromGlobex = (await (
      await list('?q=editor@demo.example.com', 'org_admin', 'globex')
    ).json()) as Page;
    expect(demoEditorFromGlobex.total).toBe(0);

    const asSuper = (await (
      await list('?q=editor@globex', 'super_admin', 'demo', { 'x-organization-id': ORG_ID.globex })
    ).json()) as Page;
    expect(asSuper.data.map((u) => u.id)).toEqual([userId('editor', 'globex')]);
    expect(asSuper.data.every((u) => u.organizationId === ORG_ID.globex)).toBe(true);
  });

  it('401 without credentials; 403 for roles without users.read', async () => {
    const anonymous = await call('/api/v1/users');
    expect(anonymous.status).toBe(401);
    expect((await readProblem(anonymous)).code).toBe('missing_credentials');
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await list('', role);
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });
});
