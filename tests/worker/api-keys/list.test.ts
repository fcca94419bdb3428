import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import type { ApiKeyResource } from '../../../src/routes/api-keys/api-key-schema.ts';
import { authHeaders } from '../auth.ts';
import { listAll, useHarness, type Page } from '../harness.ts';
import { call, readProblem } from '../helpers.ts';
import { createKey, insertKey } from './fixtures.ts';

const { db } = useHarness();
type KeyPage = Page<ApiKeyResource>;
const listAllKeys = (headers: Record<string, string>, query = '') =>
  listAll<ApiKeyResource>(`/api/v1/api-keys${query}`, headers);

describe('GET /api/v1/api-keys', () => {
  it('lists the organization keys newest first, with their state and never the secret or hash', async () => {
    const older = await createKey({ role: 'viewer' });
    const newer = await createKey({ role: 'editor', expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    const keys = await listAllKeys(await authHeaders('org_admin'));
    const index = (id: string) => keys.findIndex((k) => k.id === id);
    expect(index(newer.id)).toBeGreaterThanOrEqual(0);
    expect(index(newer.id)).toBeLessThan(index(older.id));
    const { secret, ...withoutSecret } = newer;
    expect(keys[index(newer.id)]).toEqual(withoutSecret);
    const text = JSON.stringify(keys);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(older.secret);
    expect(text).not.toContain(await hashApiKeySecret(secret));
    expect(text).not.toContain('secretHash');
  });

  it('pages with page and limit, and counts the total', async () => {
    await createKey({ role: 'viewer' });
    await createKey({ role: 'viewer' });
    const headers = await authHeaders('org_admin');
    const res = await call('/api/v1/api-keys?page=2&limit=1', { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as KeyPage;
    expect(body).toMatchObject({ page: 2, limit: 1 });
    expect(body.data).toHaveLength(1);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.totalPages).toBe(body.total);
    const beyond = (await (
      await call(`/api/v1/api-keys?page=${body.totalPages + 1000}&limit=100`, { headers })
    ).json()) as KeyPage;
    expect(beyond.data).toEqual([]);
    expect(beyond.total).toBeGreaterThanOrEqual(body.total);
  });

  it('filters by computed status: active, revoked, expired', async () => {
    const active = await createKey({ role: 'viewer' });
    const revoked = await insertKey(db, { role: 'viewer', revokedAt: new Date() });
    const expired = await insertKey(db, { role: 'viewer', expiresAt: new Date(Date.now() - 60_000) });
    // Revocation wins: a key both revoked and past its expiry is listed as revoked.
    const both = await insertKey(db, {
      role: 'viewer',
      revokedAt: new Date(),
      expiresAt: new Date(Date.now() - 60_000),
    });
    const headers = await authHeaders('org_admin');
    for (const [status, expected] of [
      ['active', [active.id]],
      ['revoked', [revoked.id, both.id]],
      ['expired', [expired.id]],
    ] as const) {
      const keys = await listAllKeys(headers, `?status=${status}`);
      expect(
        keys.every((k) => k.status === status),
        status,
      ).toBe(true);
      const ids = keys.map((k) => k.id);
      for (const id of [active.id, revoked.id, expired.id, both.id])
        expect(ids.includes(id), `${status} ${id}`).toBe((expected as readonly string[]).includes(id));
    }
  });

  it('never shows another organization keys', async () => {
    const demoKey = await createKey({ role: 'viewer' });
    const globexKey = await createKey({ role: 'viewer' }, { org: 'globex' });
    const ids = (await listAllKeys(await authHeaders('org_admin', 'globex'))).map((k) => k.id);
    expect(ids).toContain(globexKey.id);
    expect(ids).not.toContain(demoKey.id);
  });

  it.each([
    ['page=0', 'query.page'],
    ['page=-1', 'query.page'],
    ['page=abc', 'query.page'],
    ['limit=101', 'query.limit'],
    ['limit=0', 'query.limit'],
    ['status=deleted', 'query.status'],
    ['sort=name', 'query.sort'],
  ])('400 for %s', async (query, path) => {
    const res = await call(`/api/v1/api-keys?${query}`, { headers: await authHeaders('org_admin') });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
  });

  it('401 without credentials, 403 for editor, approver and viewer', async () => {
    expect((await call('/api/v1/api-keys')).status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await call('/api/v1/api-keys', { headers: await authHeaders(role) });
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });
});
