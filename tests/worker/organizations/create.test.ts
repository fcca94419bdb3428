import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { organizations, users } from '../../../src/db/schema/index.ts';
import type { OrganizationResource } from '../../../src/routes/organizations/schemas.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { ORG_ID, authHeaders, jsonHeaders, tokenForUser, userEmail, userId } from '../auth.ts';
import { call, eventually, readProblem } from '../helpers.ts';
import { expectInvalid, organizationRow } from '../users/fixtures.ts';
import { unique, uniqueEmail, useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();

const create = async (
  body: unknown,
  role: Parameters<typeof authHeaders>[0] = 'super_admin',
  extra: Record<string, string> = {},
) =>
  call('/api/v1/organizations', {
    method: 'POST',
    headers: jsonHeaders(await authHeaders(role, 'demo', extra)),
    body: JSON.stringify(body),
  });

const slug = () => `acme-${unique()}`;
const bySlug = async (s: string) => (await db.select().from(organizations).where(eq(organizations.slug, s)))[0];

describe('POST /api/v1/organizations', () => {
  it("rewrites the slug's edge entry, so a slug that was another organization's never resolves to it", async () => {
    const s = slug();
    // What the edge may still hold after the slug's previous owner renamed away and that event was lost.
    const stale = { id: ORG_ID.globex, slug: s, publicAccess: true };
    await env.DELIVERY_CACHE.put(deliveryKeys.organizationBySlug(s), JSON.stringify(stale));
    const res = await create({ name: 'Slug reuser', slug: s });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as OrganizationResource;
    const entry = await eventually(async () => {
      const raw = await env.DELIVERY_CACHE.get(deliveryKeys.organizationBySlug(s));
      return raw?.includes(id) ? raw : undefined;
    }, 10_000);
    expect(entry).not.toContain(ORG_ID.globex);
  });

  it('201 with Location; audited in the new organization', async () => {
    const s = slug();
    const res = await create({ name: '  Acme Research ', slug: s, apiRateLimitPerMinute: 1200 });
    expect(res.status).toBe(201);
    const org = (await res.json()) as OrganizationResource;
    expect(res.headers.get('location')).toBe(`/api/v1/organizations/${org.id}`);
    expect(org).toMatchObject({ name: 'Acme Research', slug: s, apiRateLimitPerMinute: 1200 });
    expect(await organizationRow(db, org.id)).toMatchObject({
      name: 'Acme Research',
      slug: s,
      apiRateLimitPerMinute: 1200,
    });

    const [audit, ...more] = await auditRows({ type: 'organization', id: org.id });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({
      action: 'organization.create',
      organizationId: org.id,
      actorType: 'user',
      actorId: userId('super_admin'),
    });
    expect(audit!.changes).toEqual({
      before: {},
      after: { id: org.id, name: 'Acme Research', slug: s, apiRateLimitPerMinute: 1200 },
    });

    const read = await call(res.headers.get('location')!, { headers: await authHeaders('super_admin') });
    expect(await read.json()).toEqual(org);
  });

  it('defaults the rate limit to the platform’s (null)', async () => {
    const res = await create({ name: 'Defaults', slug: slug() });
    expect(res.status).toBe(201);
    expect(((await res.json()) as OrganizationResource).apiRateLimitPerMinute).toBeNull();
  });

  it('creates the first org_admin in the same transaction, who can then work in the new organization', async () => {
    const email = uniqueEmail('First.Admin');
    const res = await create({ name: 'With admin', slug: slug(), initialAdmin: { email } });
    expect(res.status).toBe(201);
    const org = (await res.json()) as OrganizationResource;
    const [admin] = await db.select().from(users).where(eq(users.organizationId, org.id));
    expect(admin).toMatchObject({ email: email.toLowerCase(), role: 'org_admin', status: 'active' });
    const [audit] = await auditRows({ type: 'user', id: admin!.id });
    expect(audit).toMatchObject({ action: 'user.create', organizationId: org.id });

    const list = await call('/api/v1/users', { headers: { authorization: `Bearer ${await tokenForUser(admin!.id)}` } });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { data: { id: string }[] }).data.map((u) => u.id)).toEqual([admin!.id]);
  });

  it('409 email_taken for a taken initial admin email, and nothing is created', async () => {
    const s = slug();
    const res = await create({
      name: 'Nope',
      slug: s,
      initialAdmin: { email: userEmail('viewer', 'globex').toUpperCase() },
    });
    expect(res.status).toBe(409);
    expect((await readProblem(res)).code).toBe('email_taken');
    expect(await bySlug(s)).toBeUndefined();
  });

  it('409 slug_taken for a slug in use', async () => {
    const res = await create({ name: 'Another demo', slug: 'demo' });
    expect(res.status).toBe(409);
    const problem = await readProblem(res);
    expect(problem.code).toBe('slug_taken');
    expect(problem.errors[0]?.path).toBe('body.slug');
    expect((await organizationRow(db, ORG_ID.demo))?.name).toBe('Demo Capital Markets');
  });

  it('422 slug_reserved for the platform’s own words', async () => {
    for (const reserved of ['api', 'admin', 'delivery', 'www', 'docs']) {
      const res = await create({ name: 'Reserved', slug: reserved });
      expect(res.status, reserved).toBe(422);
      expect((await readProblem(res)).code).toBe('slug_reserved');
      expect(await bySlug(reserved)).toBeUndefined();
    }
  });

  it('400 for malformed fields and for server-owned or unknown fields, named', async () => {
    for (const [body, path] of [
      [{ name: '', slug: slug() }, 'body.name'],
      [{ name: '   ', slug: slug() }, 'body.name'],
      [{ name: 'x'.repeat(201), slug: slug() }, 'body.name'],
      [{ name: 'Bad', slug: 'Upper' }, 'body.slug'],
      [{ name: 'Bad', slug: '-leading' }, 'body.slug'],
      [{ name: 'Bad', slug: 'trailing-' }, 'body.slug'],
      [{ name: 'Bad', slug: 'a'.repeat(64) }, 'body.slug'],
      [{ name: 'Bad', slug: 'has_underscore' }, 'body.slug'],
      [{ name: 'Bad', slug: slug(), apiRateLimitPerMinute: 0 }, 'body.apiRateLimitPerMinute'],
      [{ name: 'Bad', slug: slug(), apiRateLimitPerMinute: 1_000_001 }, 'body.apiRateLimitPerMinute'],
      [{ name: 'Bad', slug: slug(), apiRateLimitPerMinute: 1.5 }, 'body.apiRateLimitPerMinute'],
      [{ name: 'Bad', slug: slug(), initialAdmin: { email: 'nope' } }, 'body.initialAdmin.email'],
      [
        { name: 'Bad', slug: slug(), initialAdmin: { email: uniqueEmail(), role: 'super_admin' } },
        'body.initialAdmin.role',
      ],
      [{ name: 'Bad', slug: slug(), id: crypto.randomUUID() }, 'body.id'],
      [{ name: 'Bad', slug: slug(), createdAt: '2020-01-01T00:00:00Z' }, 'body.createdAt'],
      [{ name: 'Bad', slug: slug(), updatedAt: '2020-01-01T00:00:00Z' }, 'body.updatedAt'],
    ] as const) {
      await expectInvalid(await create(body), path, JSON.stringify(body));
      if ('slug' in body && typeof body.slug === 'string') expect(await bySlug(body.slug)).toBeUndefined();
    }
  });

  it('401 without credentials; 403 for an org_admin and below, and nothing is created', async () => {
    const anonymous = await call('/api/v1/organizations', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x', slug: slug() }),
    });
    expect(anonymous.status).toBe(401);
    for (const role of ['org_admin', 'editor', 'viewer'] as const) {
      const s = slug();
      const res = await create({ name: 'Denied', slug: s }, role);
      expect(res.status, role).toBe(403);
      expect(await bySlug(s)).toBeUndefined();
    }
  });
});
