import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import type { DeliveryTokenResource } from '../../../src/routes/delivery-tokens/delivery-token-schema.ts';
import { listAll, useHarness, type Page } from '../harness.ts';
import { createToken, inDays, insertToken } from './fixtures.ts';

const { db } = useHarness();
type TokenPage = Page<DeliveryTokenResource>;
const listAllTokens = (headers: Record<string, string>, query = '') =>
  listAll<DeliveryTokenResource>(`/api/v1/delivery-tokens${query}`, headers);

describe('GET /api/v1/delivery-tokens', () => {
  it('lists the organization tokens newest first, with their state and never the secret or hash', async () => {
    const older = await createToken();
    const newer = await createToken({ expiresAt: inDays(1) });
    const tokens = await listAllTokens(await authHeaders('org_admin'));
    const index = (id: string) => tokens.findIndex((t) => t.id === id);
    expect(index(newer.id)).toBeGreaterThanOrEqual(0);
    expect(index(newer.id)).toBeLessThan(index(older.id));
    const { secret, ...withoutSecret } = newer;
    expect(tokens[index(newer.id)]).toEqual(withoutSecret);
    const text = JSON.stringify(tokens);
    expect(text).not.toContain(secret);
    expect(text).not.toContain(older.secret);
    expect(text).not.toContain(await hashApiKeySecret(secret));
    expect(text).not.toContain('secretHash');
  });

  it('pages with page and limit, and counts the total', async () => {
    await createToken();
    await createToken();
    const headers = await authHeaders('org_admin');
    const res = await call('/api/v1/delivery-tokens?page=2&limit=1', { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenPage;
    expect(Object.keys(body).sort()).toEqual(['data', 'limit', 'page', 'total', 'totalPages']);
    expect(body).toMatchObject({ page: 2, limit: 1 });
    expect(body.data).toHaveLength(1);
    expect(body.total).toBeGreaterThanOrEqual(2);
    expect(body.totalPages).toBe(body.total);
    const beyond = (await (
      await call(`/api/v1/delivery-tokens?page=${body.totalPages + 1000}&limit=100`, { headers })
    ).json()) as TokenPage;
    expect(beyond.data).toEqual([]);
    expect(beyond.total).toBeGreaterThanOrEqual(body.total);
  });

  it('filters by computed status: active, revoked, expired', async () => {
    const active = await createToken();
    const revoked = await insertToken(db, { revokedAt: new Date() });
    const expired = await insertToken(db, { expiresAt: new Date(Date.now() - 60_000) });
    // Revocation wins: a token both revoked and past its expiry is listed as revoked.
    const both = await insertToken(db, { revokedAt: new Date(), expiresAt: new Date(Date.now() - 60_000) });
    const headers = await authHeaders('org_admin');
    for (const [status, expected] of [
      ['active', [active.id]],
      ['revoked', [revoked.id, both.id]],
      ['expired', [expired.id]],
    ] as const) {
      const tokens = await listAllTokens(headers, `?status=${status}`);
      expect(
        tokens.every((t) => t.status === status),
        status,
      ).toBe(true);
      const ids = tokens.map((t) => t.id);
      for (const id of [active.id, revoked.id, expired.id, both.id])
        expect(ids.includes(id), `${status} ${id}`).toBe((expected as readonly string[]).includes(id));
    }
  });

  it('never shows another organization tokens', async () => {
    const demoToken = await createToken();
    const globexToken = await createToken({}, { org: 'globex' });
    const ids = (await listAllTokens(await authHeaders('org_admin', 'globex'))).map((t) => t.id);
    expect(ids).toContain(globexToken.id);
    expect(ids).not.toContain(demoToken.id);
  });

  it.each([
    ['page=0', 'query.page'],
    ['page=-1', 'query.page'],
    ['page=abc', 'query.page'],
    ['limit=101', 'query.limit'],
    ['limit=0', 'query.limit'],
    ['limit=-1', 'query.limit'],
    ['limit=abc', 'query.limit'],
    ['status=deleted', 'query.status'],
    ['sort=name', 'query.sort'],
  ])('400 for %s', async (query, path) => {
    const res = await call(`/api/v1/delivery-tokens?${query}`, { headers: await authHeaders('org_admin') });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
  });

  it('401 without credentials, 403 for editor, approver and viewer', async () => {
    const anonymous = await call('/api/v1/delivery-tokens');
    expect(anonymous.status).toBe(401);
    expect((await readProblem(anonymous)).code).toBe('missing_credentials');
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await call('/api/v1/delivery-tokens', { headers: await authHeaders(role) });
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });
});
