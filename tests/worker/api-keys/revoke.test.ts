import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys } from '../../../src/db/schema/index.ts';
import { authHeaders, userId } from '../auth.ts';
import { useHarness } from '../harness.ts';
import { call, readProblem } from '../helpers.ts';
import { createKey, keyHeaders } from './fixtures.ts';

const { db, auditRows } = useHarness();

const revoke = (id: string, headers: Record<string, string>) =>
  call(`/api/v1/api-keys/${id}`, { method: 'DELETE', headers });
const storedKey = async (id: string) => (await db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]!;
const auditOf = (id: string, action: string) => auditRows({ type: 'api_key', id, action });

describe('DELETE /api/v1/api-keys/{id}', () => {
  it('revokes: 204, revokedAt set, the key stops working at once, audited once', async () => {
    const key = await createKey({ role: 'viewer' });
    expect((await call('/api/v1/me', { headers: keyHeaders(key.secret) })).status).toBe(200);
    const headers = await authHeaders('org_admin');
    const res = await revoke(key.id, headers);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');

    const row = await storedKey(key.id);
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect(Math.abs(row.revokedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    const after = await call('/api/v1/me', { headers: keyHeaders(key.secret) });
    expect(after.status).toBe(401);
    expect((await readProblem(after)).code).toBe('invalid_api_key');
    const listed = (await (await call(`/api/v1/api-keys/${key.id}`, { headers })).json()) as {
      status: string;
      revokedAt: string;
    };
    expect(listed).toMatchObject({ status: 'revoked', revokedAt: row.revokedAt!.toISOString() });

    const entries = await auditOf(key.id, 'api_key.revoke');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: 'user', actorId: userId('org_admin') });
    expect(entries[0]!.changes).toEqual({
      before: { revokedAt: null },
      after: { revokedAt: row.revokedAt!.toISOString() },
    });
  });

  it('revoking a revoked key is 204 and changes nothing, not even the audit log', async () => {
    const key = await createKey({ role: 'viewer' });
    const headers = await authHeaders('org_admin');
    expect((await revoke(key.id, headers)).status).toBe(204);
    const first = (await storedKey(key.id)).revokedAt;
    expect((await revoke(key.id, headers)).status).toBe(204);
    expect((await storedKey(key.id)).revokedAt).toEqual(first);
    expect(await auditOf(key.id, 'api_key.revoke')).toHaveLength(1);
  });

  it('a key may revoke itself', async () => {
    const key = await createKey({ role: 'org_admin' });
    expect((await revoke(key.id, keyHeaders(key.secret))).status).toBe(204);
    expect((await call('/api/v1/me', { headers: keyHeaders(key.secret) })).status).toBe(401);
    expect((await auditOf(key.id, 'api_key.revoke'))[0]).toMatchObject({ actorType: 'api_key', actorId: key.id });
  });

  it('404 for another organization key, which stays usable and unrevoked', async () => {
    const key = await createKey({ role: 'viewer' });
    const res = await revoke(key.id, await authHeaders('org_admin', 'globex'));
    expect(res.status).toBe(404);
    expect((await readProblem(res)).code).toBe('not_found');
    expect((await storedKey(key.id)).revokedAt).toBeNull();
    expect(await auditOf(key.id, 'api_key.revoke')).toEqual([]);
    expect((await call('/api/v1/me', { headers: keyHeaders(key.secret) })).status).toBe(200);
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    const headers = await authHeaders('org_admin');
    expect((await revoke(crypto.randomUUID(), headers)).status).toBe(404);
    const malformed = await revoke('123', headers);
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors.map((e) => e.path)).toEqual(['path.id']);
  });

  it('401 without credentials, 403 for editor, approver and viewer; the key is untouched', async () => {
    const key = await createKey({ role: 'viewer' });
    expect((await revoke(key.id, {})).status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const)
      expect((await revoke(key.id, await authHeaders(role))).status, role).toBe(403);
    expect((await storedKey(key.id)).revokedAt).toBeNull();
  });
});
