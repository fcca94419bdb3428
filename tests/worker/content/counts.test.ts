import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users, type ComplianceStatus, type ContentStatus } from '../../../src/db/schema/index.ts';
import { authHeaders, call, ORG_ID, readProblem, useHarness, userId } from '../harness.ts';
import { insertContent } from './fixtures.ts';

const { db, insertOrganization, insertUser, useTenant } = useHarness();

interface Counts {
  total: number;
  byStatus: Record<ContentStatus, number>;
  byCompliance: Record<ComplianceStatus, number>;
}

const counts = (headers: Record<string, string>) => call('/api/v1/content/counts', { headers });

describe('GET /api/v1/content/counts', () => {
  // A tenant of its own: its counts are exact whatever other files insert in the seeded organizations.
  const tenant = useTenant();

  it('counts the organization\u2019s items by status (archived included) and by compliance (archived left out)', async () => {
    const creatorId = tenant.users.editor.id;
    const rows: [ContentStatus, ComplianceStatus][] = [
      ['draft', 'pending'],
      ['draft', 'flagged'],
      ['pending_approval', 'pending'],
      ['approved', 'approved'],
      ['published', 'approved'],
      ['published', 'approved'],
      ['archived', 'rejected'],
    ];
    for (const [status, complianceStatus] of rows) {
      await insertContent(db, { organizationId: tenant.id, creatorId, status, complianceStatus });
    }
    // Another organization's items never count.
    await insertContent(db, { org: 'globex', creatorId: userId('editor', 'globex'), status: 'draft' });

    const res = await counts(tenant.users.viewer.headers);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-cache');
    expect((await res.json()) as Counts).toEqual({
      total: 7,
      byStatus: { draft: 2, pending_approval: 1, approved: 1, published: 2, archived: 1 },
      byCompliance: { pending: 2, approved: 3, flagged: 1, rejected: 0 },
    });
  });

  it('reports every key as 0 for an organization without content', async () => {
    const empty = await insertUser((await insertOrganization()).id, 'viewer');
    const res = await counts(empty.headers);
    expect(res.status).toBe(200);
    expect((await res.json()) as Counts).toEqual({
      total: 0,
      byStatus: { draft: 0, pending_approval: 0, approved: 0, published: 0, archived: 0 },
      byCompliance: { pending: 0, approved: 0, flagged: 0, rejected: 0 },
    });
  });

  it('every role may read the counts', async () => {
    for (const user of Object.values(tenant.users)) {
      const res = await counts(user.headers);
      expect(res.status, user.role).toBe(200);
      await res.body?.cancel();
    }
  });

  it('400 for an unknown query parameter', async () => {
    const res = await call('/api/v1/content/counts?status=draft', { headers: tenant.users.viewer.headers });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).code).toBe('validation_failed');
  });

  it('401 without credentials', async () => {
    const res = await counts({});
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });

  it('403 for a suspended user, and for another organization named by X-Organization-Id', async () => {
    const user = await insertUser(tenant.id, 'editor');
    await db.update(users).set({ status: 'suspended' }).where(eq(users.id, user.id));
    const suspended = await counts(user.headers);
    expect(suspended.status).toBe(403);
    await suspended.body?.cancel();
    const crossTenant = await counts(await authHeaders('org_admin', 'demo', { 'x-organization-id': ORG_ID.globex }));
    expect(crossTenant.status).toBe(403);
    await crossTenant.body?.cancel();
  });
});
