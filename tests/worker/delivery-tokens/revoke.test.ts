import { describe, expect, it } from 'vitest';
import { authHeaders, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { useHarness } from '../harness.ts';
import { createToken, storedToken } from './fixtures.ts';

const { db, auditRows } = useHarness();

const revoke = (id: string, headers: Record<string, string>) =>
  call(`/api/v1/delivery-tokens/${id}`, { method: 'DELETE', headers });

describe('DELETE /api/v1/delivery-tokens/{id}', () => {
  it('revokes: 204, revokedAt set, shown as revoked, audited once', async () => {
    const token = await createToken();
    const headers = await authHeaders('org_admin');
    const res = await revoke(token.id, headers);
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');

    const row = (await storedToken(db, token.id))!;
    expect(row.revokedAt).toBeInstanceOf(Date);
    expect(Math.abs(row.revokedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    const shown = (await (await call(`/api/v1/delivery-tokens/${token.id}`, { headers })).json()) as {
      status: string;
      revokedAt: string;
    };
    expect(shown).toMatchObject({ status: 'revoked', revokedAt: row.revokedAt!.toISOString() });

    const entries = await auditRows({ type: 'delivery_token', id: token.id, action: 'delivery_token.revoke' });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actorType: 'user', actorId: userId('org_admin') });
    expect(entries[0]!.changes).toEqual({
      before: { revokedAt: null },
      after: { revokedAt: row.revokedAt!.toISOString() },
    });
  });

  it('revoking a revoked token is 204 and changes nothing, not even the audit log', async () => {
    const token = await createToken();
    const headers = await authHeaders('org_admin');
    expect((await revoke(token.id, headers)).status).toBe(204);
    const first = (await storedToken(db, token.id))!.revokedAt;
    expect((await revoke(token.id, headers)).status).toBe(204);
    expect((await storedToken(db, token.id))!.revokedAt).toEqual(first);
    expect(await auditRows({ type: 'delivery_token', id: token.id, action: 'delivery_token.revoke' })).toHaveLength(1);
  });

  it('404 for another organization token, which stays unrevoked and unaudited', async () => {
    const token = await createToken();
    const res = await revoke(token.id, await authHeaders('org_admin', 'globex'));
    expect(res.status).toBe(404);
    expect((await readProblem(res)).code).toBe('not_found');
    expect((await storedToken(db, token.id))!.revokedAt).toBeNull();
    expect(await auditRows({ type: 'delivery_token', id: token.id, action: 'delivery_token.revoke' })).toEqual([]);
  });

  it('404 for an unknown id, 400 for a malformed one', async () => {
    const headers = await authHeaders('org_admin');
    expect((await revoke(crypto.randomUUID(), headers)).status).toBe(404);
    const malformed = await revoke('123', headers);
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors.map((e) => e.path)).toEqual(['path.id']);
  });

  it('401 without credentials, 403 for editor, approver and viewer; the token is untouched', async () => {
    const token = await createToken();
    expect((await revoke(token.id, {})).status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const)
      expect((await revoke(token.id, await authHeaders(role))).status, role).toBe(403);
    expect((await storedToken(db, token.id))!.revokedAt).toBeNull();
    expect(await auditRows({ type: 'delivery_token', id: token.id, action: 'delivery_token.revoke' })).toEqual([]);
  });
});
