import { describe, expect, it } from 'vitest';
import type { OrganizationResource } from '../../../src/routes/organizations/schemas.ts';
import type { UserResource } from '../../../src/routes/shared/user-schema.ts';
import { ORG_ID, authHeaders, jsonHeaders, tokenForUser, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { expectInvalid, organizationRow } from '../users/fixtures.ts';
import { unique, uniqueEmail, useHarness } from '../harness.ts';

const { db, auditRows, insertOrganization } = useHarness();

const patch = async (id: string, body: unknown, role: Parameters<typeof authHeaders>[0] = 'super_admin') =>
  call(`/api/v1/organizations/${id}`, {
    method: 'PATCH',
    headers: jsonHeaders(await authHeaders(role)),
    body: JSON.stringify(body),
  });

describe('PATCH /api/v1/organizations/{id}', () => {
  it('renames and changes slug and rate limit; audited in that organization with before and after', async () => {
    const org = await insertOrganization();
    const newSlug = `renamed-${unique()}`;
    const res = await patch(org.id, { name: 'Renamed Ltd', slug: newSlug, apiRateLimitPerMinute: 900 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as OrganizationResource;
    expect(body).toMatchObject({ id: org.id, name: 'Renamed Ltd', slug: newSlug, apiRateLimitPerMinute: 900 });
    expect(Date.parse(body.updatedAt)).toBeGreaterThanOrEqual(org.updatedAt.getTime());
    expect(await organizationRow(db, org.id)).toMatchObject({
      name: 'Renamed Ltd',
      slug: newSlug,
      apiRateLimitPerMinute: 900,
    });

    const [audit, ...more] = await auditRows({ type: 'organization', id: org.id });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({
      action: 'organization.update',
      organizationId: org.id,
      actorId: userId('super_admin'),
    });
    expect(audit!.changes).toEqual({
      before: { name: org.name, slug: org.slug, apiRateLimitPerMinute: null },
      after: { name: 'Renamed Ltd', slug: newSlug, apiRateLimitPerMinute: 900 },
    });

    const reset = await patch(org.id, { apiRateLimitPerMinute: null });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as OrganizationResource).apiRateLimitPerMinute).toBeNull();
    const audits = await auditRows({ type: 'organization', id: org.id });
    expect(audits[1]?.changes).toEqual({
      before: { apiRateLimitPerMinute: 900 },
      after: { apiRateLimitPerMinute: null },
    });
  });

  it('409 slug_taken when the new slug is in use; 422 slug_reserved; nothing changes', async () => {
    const org = await insertOrganization();
    const taken = await patch(org.id, { slug: 'globex', name: 'Should not stick' });
    expect(taken.status).toBe(409);
    expect((await readProblem(taken)).code).toBe('slug_taken');
    const reserved = await patch(org.id, { slug: 'api' });
    expect(reserved.status).toBe(422);
    expect((await readProblem(reserved)).code).toBe('slug_reserved');
    expect(await organizationRow(db, org.id)).toMatchObject({ slug: org.slug, name: org.name });
    expect(await auditRows({ type: 'organization', id: org.id })).toEqual([]);
    // Sending its own slug back is not a conflict.
    expect((await patch(org.id, { slug: org.slug })).status).toBe(200);
  });

  it('400 for an empty body, unknown or server-owned fields and bad values', async () => {
    const org = await insertOrganization();
    for (const [body, path] of [
      [{}, 'body'],
      [{ id: crypto.randomUUID() }, 'body.id'],
      [{ createdAt: '2020-01-01T00:00:00Z' }, 'body.createdAt'],
      [{ initialAdmin: { email: uniqueEmail() } }, 'body.initialAdmin'],
      [{ slug: 'Not Valid' }, 'body.slug'],
      [{ name: '' }, 'body.name'],
      [{ apiRateLimitPerMinute: 0 }, 'body.apiRateLimitPerMinute'],
      [{ apiRateLimitPerMinute: '10' }, 'body.apiRateLimitPerMinute'],
    ] as const) {
      await expectInvalid(await patch(org.id, body), path, JSON.stringify(body));
    }
    expect(await organizationRow(db, org.id)).toMatchObject({
      slug: org.slug,
      name: org.name,
      apiRateLimitPerMinute: null,
    });
  });

  it('404 for an unknown id', async () => {
    const res = await patch(crypto.randomUUID(), { name: 'Ghost' });
    expect(res.status).toBe(404);
  });

  it('401 without credentials; 403 for an org_admin, even on its own organization; nothing changes', async () => {
    const anonymous = await call(`/api/v1/organizations/${ORG_ID.demo}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"x"}',
    });
    expect(anonymous.status).toBe(401);
    for (const role of ['org_admin', 'editor', 'viewer'] as const) {
      expect((await patch(ORG_ID.demo, { apiRateLimitPerMinute: 1 }, role)).status, role).toBe(403);
    }
    expect(await organizationRow(db, ORG_ID.demo)).toMatchObject({
      name: 'Demo Capital Markets',
      apiRateLimitPerMinute: null,
    });
  });

  it('the organization’s rate limit applies from the next request, to that organization only', async () => {
    const superAdmin = await authHeaders('super_admin');
    const created = await call('/api/v1/organizations', {
      method: 'POST',
      headers: jsonHeaders(superAdmin),
      body: JSON.stringify({ name: 'Rate limited', slug: `limited-${unique()}` }),
    });
    expect(created.status).toBe(201);
    const org = (await created.json()) as OrganizationResource;

    const member = await call('/api/v1/users', {
      method: 'POST',
      headers: jsonHeaders({ ...superAdmin, 'x-organization-id': org.id }),
      body: JSON.stringify({ email: uniqueEmail('limited'), role: 'viewer' }),
    });
    expect(member.status).toBe(201);
    const { id } = (await member.json()) as UserResource;

    expect((await patch(org.id, { apiRateLimitPerMinute: 3 })).status).toBe(200);

    const headers = { authorization: `Bearer ${await tokenForUser(id)}` };
    for (let i = 1; i <= 3; i++) {
      const res = await call('/api/v1/me', { headers });
      expect(res.status, `request ${i}`).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toContain('"organization";q=3;w=60');
    }
    const limited = await call('/api/v1/me', { headers });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-policy')).toContain('"organization";q=3;w=60');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await readProblem(limited)).code).toBe('rate_limited');

    const demo = await call('/api/v1/me', { headers: await authHeaders('viewer') });
    expect(demo.status).toBe(200);
    expect(demo.headers.get('ratelimit-policy')).not.toContain('q=3;');
  });
});
