import { describe, expect, it } from 'vitest';
import type { UserResource } from '../../../src/routes/shared/user-schema.ts';
import { ORG_ID, authHeaders, jsonHeaders, userEmail } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { expectInvalid, expectTooDeep, nestedProfileJson, userRow } from './fixtures.ts';
import { uniqueEmail, useHarness } from '../harness.ts';

const { db, auditRows } = useHarness();

type Role = Parameters<typeof authHeaders>[0];

const create = async (
  body: unknown,
  role: Role = 'org_admin',
  org: Parameters<typeof authHeaders>[1] = 'demo',
  extra: Record<string, string> = {},
) =>
  call('/api/v1/users', {
    method: 'POST',
    headers: jsonHeaders(await authHeaders(role, org, extra)),
    body: JSON.stringify(body),
  });

describe('POST /api/v1/users', () => {
  it('201 with Location: the user in the caller’s organization, email in lower case, active by default, audited', async () => {
    const email = uniqueEmail('New.Person').replace('example.com', 'Example.COM');
    const res = await create({ email, role: 'editor', profile: { displayName: 'New Person', locale: 'en-GB' } });
    expect(res.status).toBe(201);
    const user = (await res.json()) as UserResource;
    expect(res.headers.get('location')).toBe(`/api/v1/users/${user.id}`);
    expect(user).toMatchObject({
      email: email.toLowerCase(),
      role: 'editor',
      status: 'active',
      organizationId: ORG_ID.demo,
      lastLogin: null,
      profile: { displayName: 'New Person', locale: 'en-GB' },
    });

    const row = await userRow(db, user.id);
    expect(row).toMatchObject({
      email: email.toLowerCase(),
      role: 'editor',
      status: 'active',
      organizationId: ORG_ID.demo,
    });

    const [audit, ...more] = await auditRows({ type: 'user', id: user.id });
    expect(more).toHaveLength(0);
    expect(audit).toMatchObject({ action: 'user.create', organizationId: ORG_ID.demo, actorType: 'user' });
    expect(audit!.changes.before).toEqual({});
    expect(audit!.changes.after).toMatchObject({
      id: user.id,
      email: email.toLowerCase(),
      role: 'editor',
      status: 'active',
      organizationId: ORG_ID.demo,
    });
  });

  it('keeps an explicit status, and is readable at its Location', async () => {
    const res = await create({ email: uniqueEmail(), role: 'viewer', status: 'inactive' });
    expect(res.status).toBe(201);
    const location = res.headers.get('location')!;
    const read = await call(location, { headers: await authHeaders('org_admin') });
    expect(read.status).toBe(200);
    expect(((await read.json()) as UserResource).status).toBe('inactive');
  });

  it('409 email_taken for an address in use anywhere, whatever its case; nothing is created', async () => {
    const email = uniqueEmail();
    expect((await create({ email, role: 'viewer' })).status).toBe(201);
    const again = await create({ email: email.toUpperCase(), role: 'editor' });
    expect(again.status).toBe(409);
    const problem = await readProblem(again);
    expect(problem.code).toBe('email_taken');
    expect(problem.errors[0]?.path).toBe('body.email');

    // Emails are unique across organizations, not per organization.
    const elsewhere = await create(
      { email: userEmail('editor', 'demo').toUpperCase(), role: 'editor' },
      'org_admin',
      'globex',
    );
    expect(elsewhere.status).toBe(409);
    expect((await readProblem(elsewhere)).code).toBe('email_taken');
  });

  it('only a super_admin may create a super_admin', async () => {
    const email = uniqueEmail();
    const denied = await create({ email, role: 'super_admin' });
    expect(denied.status).toBe(403);
    expect((await readProblem(denied)).code).toBe('super_admin_required');
    const list = await call(`/api/v1/users?q=${encodeURIComponent(email)}`, {
      headers: await authHeaders('org_admin'),
    });
    expect(((await list.json()) as { total: number }).total).toBe(0);

    const allowed = await create({ email, role: 'super_admin' }, 'super_admin', 'demo', {
      'x-organization-id': ORG_ID.globex,
    });
    expect(allowed.status).toBe(201);
    expect(await allowed.json()).toMatchObject({ role: 'super_admin', organizationId: ORG_ID.globex });
  });

  it('a super_admin creates in the organization named by X-Organization-Id; the audit row is that organization’s', async () => {
    const res = await create({ email: uniqueEmail(), role: 'approver' }, 'super_admin', 'demo', {
      'x-organization-id': ORG_ID.globex,
    });
    expect(res.status).toBe(201);
    const user = (await res.json()) as UserResource;
    expect((await userRow(db, user.id))?.organizationId).toBe(ORG_ID.globex);
    expect((await auditRows({ type: 'user', id: user.id }))[0]?.organizationId).toBe(ORG_ID.globex);
  });

  it('400 naming each server-owned field sent (mass assignment), and nothing is created', async () => {
    const owned = {
      id: crypto.randomUUID(),
      organizationId: ORG_ID.globex,
      organization_id: ORG_ID.globex,
      lastLogin: new Date().toISOString(),
      last_login: null,
      createdAt: '2020-01-01T00:00:00Z',
      updatedAt: '2020-01-01T00:00:00Z',
    };
    for (const [field, value] of Object.entries(owned)) {
      const email = uniqueEmail();
      const res = await create({ email, role: 'viewer', [field]: value });
      expect(res.status, field).toBe(400);
      const problem = await readProblem(res);
      expect(
        problem.errors.map((e) => e.path),
        field,
      ).toEqual([`body.${field}`]);
      expect(problem.detail).toContain(field);
      const list = await call(`/api/v1/users?q=${encodeURIComponent(email)}`, {
        headers: await authHeaders('org_admin'),
      });
      expect(((await list.json()) as { total: number }).total, field).toBe(0);
    }
  });

  it('400 for malformed bodies, naming the field', async () => {
    for (const [body, path] of [
      [{ email: 'not-an-email', role: 'viewer' }, 'body.email'],
      [{ role: 'viewer' }, 'body.email'],
      [{ email: uniqueEmail() }, 'body.role'],
      [{ email: uniqueEmail(), role: 'owner' }, 'body.role'],
      [{ email: uniqueEmail(), role: 'viewer', status: 'deleted' }, 'body.status'],
      [{ email: uniqueEmail(), role: 'viewer', profile: 'hello' }, 'body.profile'],
      [{ email: uniqueEmail(), role: 'viewer', profile: ['a'] }, 'body.profile'],
    ] as const) {
      await expectInvalid(await create(body), path, JSON.stringify(body));
    }
  });

  it('422 profile_too_large for a profile over 8 KB; 8 KB exactly is fine', async () => {
    const email = uniqueEmail();
    const tooBig = await create({ email, role: 'viewer', profile: { bio: 'x'.repeat(8 * 1024) } });
    expect(tooBig.status).toBe(422);
    const problem = await readProblem(tooBig);
    expect(problem.code).toBe('profile_too_large');
    expect(problem.errors[0]?.path).toBe('body.profile');
    // {"bio":"…"} is 10 bytes of JSON around the string.
    const fits = await create({ email, role: 'viewer', profile: { bio: 'x'.repeat(8 * 1024 - 10) } });
    expect(fits.status).toBe(201);
  });

  // Serializing a profile nested thousands of levels deep throws RangeError (a 500 before).
  it('400 naming body.profile for a profile nested deeper than 16 levels, whatever its size; 16 levels are fine', async () => {
    const send = async (email: string, depth: number) =>
      call('/api/v1/users', {
        method: 'POST',
        headers: jsonHeaders(await authHeaders('org_admin')),
        body: `{"email":"${email}","role":"viewer","profile":${nestedProfileJson(depth)}}`,
      });
    expect(nestedProfileJson(5_000).length).toBeLessThan(10_010);
    for (const depth of [5_000, 17]) {
      const email = uniqueEmail();
      await expectTooDeep(await send(email, depth), `depth ${depth}`);
      const listed = await call(`/api/v1/users?q=${email}`, { headers: await authHeaders('org_admin') });
      expect(((await listed.json()) as { total: number }).total).toBe(0);
    }
    const fits = await send(uniqueEmail(), 16);
    expect(fits.status).toBe(201);
    expect(((await fits.json()) as UserResource).profile).toEqual(JSON.parse(nestedProfileJson(16)));
  });

  it('replays a retried POST with the same Idempotency-Key instead of creating twice', async () => {
    const key = crypto.randomUUID();
    const body = { email: uniqueEmail(), role: 'viewer' };
    const first = await create(body, 'org_admin', 'demo', { 'idempotency-key': key });
    const second = await create(body, 'org_admin', 'demo', { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await second.json()).toEqual(await first.json());
  });

  it('401 without credentials; 403 for roles without users.manage, and nothing is created', async () => {
    const anonymous = await call('/api/v1/users', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: uniqueEmail(), role: 'viewer' }),
    });
    expect(anonymous.status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const email = uniqueEmail();
      const res = await create({ email, role: 'viewer' }, role);
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
      const list = await call(`/api/v1/users?q=${encodeURIComponent(email)}`, {
        headers: await authHeaders('org_admin'),
      });
      expect(((await list.json()) as { total: number }).total).toBe(0);
    }
  });
});
