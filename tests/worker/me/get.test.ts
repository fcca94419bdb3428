import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { permissionTable } from '../../../src/auth/permissions.ts';
import { userRoles } from '../../../src/db/schema/enums.ts';
import { users } from '../../../src/db/schema/index.ts';
import { ORG_ID, authHeaders, tokenFor, userId } from '../auth.ts';
import { useHarness } from '../harness.ts';
import { call, eventually, readProblem } from '../helpers.ts';

const { db } = useHarness();

describe('GET /api/v1/me', () => {
  it('returns the caller from the database, with its organization and permissions', async () => {
    const res = await call('/api/v1/me', { headers: await authHeaders('editor') });
    expect(res.status).toBe(200);
    const me = (await res.json()) as {
      principalType: string;
      role: string;
      user: { id: string; email: string };
      organization: { slug: string };
      permissions: string[];
    };
    expect(me).toMatchObject({ principalType: 'user', role: 'editor', organization: { slug: 'demo' } });
    expect(me.user.id).toBe(userId('editor'));
    expect(me.permissions).toEqual([...permissionTable.editor]);
  });

  it('401 problem with WWW-Authenticate without credentials', async () => {
    const res = await call('/api/v1/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="contentos"');
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });

  it('lets a super_admin act in another organization with X-Organization-Id', async () => {
    const res = await call('/api/v1/me', {
      headers: await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { organization: { slug: string } }).organization.slug).toBe('globex');
  });

  it('refuses X-Organization-Id from anyone else, and answers 404 for an unknown organization', async () => {
    const res = await call('/api/v1/me', {
      headers: await authHeaders('org_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
    });
    expect(res.status).toBe(403);
    const unknown = await call('/api/v1/me', {
      headers: await authHeaders('super_admin', 'demo', { 'x-organization-id': crypto.randomUUID() }),
    });
    expect(unknown.status).toBe(404);
    const malformed = await call('/api/v1/me', {
      headers: await authHeaders('super_admin', 'demo', { 'x-organization-id': 'globex' }),
    });
    expect(malformed.status).toBe(400);
  });
});

describe('GET /api/v1/me/permissions', () => {
  it('serves the permission table the checks use', async () => {
    const res = await call('/api/v1/me/permissions', {
      headers: { authorization: `Bearer ${await tokenFor('viewer', 'globex')}` },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { role: string; permissions: string[]; table: Record<string, string[]> };
    expect(body.role).toBe('viewer');
    expect(body.permissions).toEqual(['content.read']);
    for (const role of userRoles) expect(body.table[role]).toEqual([...permissionTable[role]]);
  });

  it('records last_login at most once a minute', async () => {
    await call('/api/v1/me/permissions', { headers: await authHeaders('approver', 'globex') });
    const read = async () =>
      (
        await db
          .select({ lastLogin: users.lastLogin })
          .from(users)
          .where(eq(users.id, userId('approver', 'globex')))
      )[0]?.lastLogin;
    // The write happens after the response (ctx.waitUntil): poll for it rather than read at once.
    const first = await eventually(async () => (await read()) ?? undefined);
    expect(first).toBeInstanceOf(Date);
    await call('/api/v1/me/permissions', { headers: await authHeaders('approver', 'globex') });
    // A second write, if the once-a-minute rule were broken, would also land after the response.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await read())?.getTime()).toBe(first.getTime());
  });
});
