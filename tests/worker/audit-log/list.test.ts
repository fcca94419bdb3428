import { describe, expect, it } from 'vitest';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { createKey, createKeyRequest, keyHeaders } from '../api-keys/fixtures.ts';
import { uniqueName, type Page } from '../harness.ts';
import type { AuditEntryResource } from '../../../src/routes/audit-log/audit-entry-schema.ts';

type AuditPage = Page<AuditEntryResource>;

async function readLog(query: string, headers: Record<string, string>): Promise<AuditPage> {
  const res = await call(`/api/v1/audit-log?${query}`, { headers });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as AuditPage;
}

const revoke = (id: string, headers: Record<string, string>) =>
  call(`/api/v1/api-keys/${id}`, { method: 'DELETE', headers });

/** A fresh org_admin key that creates and revokes one key: an actor whose whole history the test knows. */
async function keyWithHistory() {
  const actor = await createKey({ role: 'org_admin' });
  const child = await createKey({ role: 'viewer' }, { headers: keyHeaders(actor.secret) });
  expect((await revoke(child.id, keyHeaders(actor.secret))).status).toBe(204);
  return { actor, child };
}

describe('GET /api/v1/audit-log', () => {
  it('shows the entries of API-key operations, newest first, with the request that made them', async () => {
    const client = { 'user-agent': `audit-test/${crypto.randomUUID()}`, 'cf-connecting-ip': '203.0.113.9' };
    const createId = `create-${crypto.randomUUID()}`;
    const revokeId = `revoke-${crypto.randomUUID()}`;
    const name = uniqueName('audited');
    const created = await createKeyRequest(
      { name, role: 'editor' },
      await authHeaders('org_admin', 'demo', { ...client, 'x-request-id': createId }),
    );
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe(createId);
    const key = (await created.json()) as { id: string; prefix: string; createdAt: string };
    expect(
      (await revoke(key.id, await authHeaders('org_admin', 'demo', { ...client, 'x-request-id': revokeId }))).status,
    ).toBe(204);

    const log = await readLog(`entityType=api_key&entityId=${key.id}`, await authHeaders('org_admin'));
    expect(log).toMatchObject({ page: 1, limit: 20, total: 2, totalPages: 1 });
    const [revoked, create] = log.data;
    const common = {
      actor: { type: 'user', id: userId('org_admin') },
      entity: { type: 'api_key', id: key.id },
      ip: '203.0.113.9',
      userAgent: client['user-agent'],
    };
    expect(create).toMatchObject({
      ...common,
      action: 'api_key.create',
      requestId: createId,
      changes: {
        before: {},
        after: { name, role: 'editor', prefix: key.prefix, expiresAt: null, createdBy: userId('org_admin') },
      },
    });
    expect(revoked).toMatchObject({
      ...common,
      action: 'api_key.revoke',
      requestId: revokeId,
      changes: { before: { revokedAt: null } },
    });
    expect(Object.keys(create!).sort()).toEqual([
      'action',
      'actor',
      'changes',
      'entity',
      'id',
      'ip',
      'occurredAt',
      'requestId',
      'userAgent',
    ]);
    expect(revoked!.id).toBeGreaterThan(create!.id);
    expect(Date.parse(create!.occurredAt)).toBeGreaterThanOrEqual(Date.parse(key.createdAt) - 1_000);
  });

  it('filters by actor, and names an API key as the actor of what it did', async () => {
    const { actor, child } = await keyWithHistory();
    const log = await readLog(`actor=${actor.id}`, await authHeaders('org_admin'));
    expect(log.total).toBe(2);
    expect(log.data.map((e) => [e.action, e.entity.id, e.actor.type, e.actor.id])).toEqual([
      ['api_key.revoke', child.id, 'api_key', actor.id],
      ['api_key.create', child.id, 'api_key', actor.id],
    ]);
  });

  it.each([
    ['api_key.create', ['api_key.create']],
    ['api_key.revoke', ['api_key.revoke']],
    ['api_key.*', ['api_key.revoke', 'api_key.create']],
    // A prefix matches whole segments: "api.*" is not "api_key.*", and "_" is no wildcard.
    ['api.*', []],
    ['api_key', []],
    ['apixkey.*', []],
    ['content.*', []],
  ])('filters by action=%s (exact, or a prefix with .*)', async (action, expected) => {
    const { actor } = await keyWithHistory();
    const log = await readLog(`actor=${actor.id}&action=${action}`, await authHeaders('org_admin'));
    expect(log.data.map((e) => e.action)).toEqual(expected);
    expect(log.total).toBe(expected.length);
  });

  it('filters by entityType and entityId', async () => {
    const { actor, child } = await keyWithHistory();
    const headers = await authHeaders('org_admin');
    expect((await readLog(`entityType=api_key&entityId=${child.id}`, headers)).total).toBe(2);
    expect((await readLog(`entityType=content&entityId=${child.id}`, headers)).total).toBe(0);
    expect((await readLog(`entityId=${actor.id}`, headers)).data.map((e) => e.action)).toEqual(['api_key.create']);
  });

  it('filters by a time window, from and to inclusive', async () => {
    const start = new Date(Date.now() - 5_000).toISOString();
    const { actor } = await keyWithHistory();
    const headers = await authHeaders('org_admin');
    const all = await readLog(`actor=${actor.id}`, headers);
    const [newest, oldest] = all.data;
    expect(
      (await readLog(`actor=${actor.id}&from=${start}&to=${new Date(Date.now() + 5_000).toISOString()}`, headers))
        .total,
    ).toBe(2);
    const sameMillisecond = newest!.occurredAt === oldest!.occurredAt;
    // An entry's own occurredAt (shown to the millisecond) as a bound includes that entry.
    expect(
      (await readLog(`actor=${actor.id}&from=${encodeURIComponent(newest!.occurredAt)}`, headers)).data.map(
        (e) => e.id,
      ),
    ).toEqual(sameMillisecond ? [newest!.id, oldest!.id] : [newest!.id]);
    expect(
      (await readLog(`actor=${actor.id}&to=${encodeURIComponent(oldest!.occurredAt)}`, headers)).data.map((e) => e.id),
    ).toEqual(sameMillisecond ? [newest!.id, oldest!.id] : [oldest!.id]);
    expect((await readLog(`actor=${actor.id}&to=${start}`, headers)).total).toBe(0);
    expect(
      (
        await readLog(
          `actor=${actor.id}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString().replace('Z', '+00:00'))}`,
          headers,
        )
      ).total,
    ).toBe(0);
  });

  it('the first and the last instant of years 0001–9999 are accepted as from and to', async () => {
    const { actor } = await keyWithHistory();
    const headers = await authHeaders('org_admin');
    const everything = await readLog(
      `actor=${actor.id}&from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59.999Z`,
      headers,
    );
    expect(everything.total).toBe(2);
    expect((await readLog(`actor=${actor.id}&to=9999-12-31T23:59:59.999Z`, headers)).total).toBe(2);
    expect((await readLog(`actor=${actor.id}&from=9999-12-31T23:59:59.999Z`, headers)).total).toBe(0);
    expect((await readLog(`actor=${actor.id}&to=0001-01-01T00:00:00Z`, headers)).total).toBe(0);
  });

  // PostgreSQL refuses year 0000, and a JavaScript year past 9999 reaches it as +010000-…: both were 500s.
  it('400 problem+json naming the field for from or to outside years 0001–9999 once converted to UTC', async () => {
    const headers = await authHeaders('org_admin');
    for (const [query, path] of [
      ['from=0000-01-01T00:00:00Z', 'query.from'],
      ['from=0001-01-01T00:00:00%2B01:00', 'query.from'],
      ['from=9999-12-31T23:59:59-14:00', 'query.from'],
      ['to=9999-12-31T23:59:59-14:00', 'query.to'],
      ['to=0000-06-30T12:00:00Z', 'query.to'],
    ] as const) {
      const res = await call(`/api/v1/audit-log?${query}`, { headers });
      expect(res.status, query).toBe(400);
      const problem = await readProblem(res);
      expect(problem.code, query).toBe('validation_failed');
      expect(
        problem.errors.map((e) => e.path),
        query,
      ).toEqual([path]);
    }
  });

  it('422 when from is after to', async () => {
    const res = await call('/api/v1/audit-log?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', {
      headers: await authHeaders('org_admin'),
    });
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe('invalid_time_range');
    expect(problem.errors.map((e) => e.path)).toEqual(['query.from']);
  });

  it('pages newest first with page and limit', async () => {
    const { actor } = await keyWithHistory();
    const headers = await authHeaders('org_admin');
    const first = await readLog(`actor=${actor.id}&limit=1`, headers);
    const second = await readLog(`actor=${actor.id}&limit=1&page=2`, headers);
    expect(first).toMatchObject({ page: 1, limit: 1, total: 2, totalPages: 2 });
    expect(second).toMatchObject({ page: 2, limit: 1, total: 2, totalPages: 2 });
    expect([first.data[0]!.action, second.data[0]!.action]).toEqual(['api_key.revoke', 'api_key.create']);
    expect((await readLog(`actor=${actor.id}&limit=1&page=3`, headers)).data).toEqual([]);
  });

  it.each([
    ['actor=not-a-uuid', 'query.actor'],
    ['action=Content.Update', 'query.action'],
    ['action=content.', 'query.action'],
    ['action=*', 'query.action'],
    ['action=content.*.update', 'query.action'],
    ['from=yesterday', 'query.from'],
    ['to=2026-01-01', 'query.to'],
    ['page=0', 'query.page'],
    ['limit=101', 'query.limit'],
    ['organizationId=x', 'query.organizationId'],
  ])('400 for %s', async (query, path) => {
    const res = await call(`/api/v1/audit-log?${query}`, { headers: await authHeaders('org_admin') });
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it('401 without credentials; 403 for editor, approver and viewer, by token or API key', async () => {
    const anonymous = await call('/api/v1/audit-log');
    expect(anonymous.status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await call('/api/v1/audit-log', { headers: await authHeaders(role) });
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
      const key = await createKey({ role });
      expect((await call('/api/v1/audit-log', { headers: keyHeaders(key.secret) })).status, `${role} key`).toBe(403);
    }
  });

  it('a globex org_admin never sees demo entries', async () => {
    const { actor, child } = await keyWithHistory();
    const globex = await authHeaders('org_admin', 'globex');
    expect((await readLog(`entityId=${child.id}`, globex)).total).toBe(0);
    expect((await readLog(`actor=${actor.id}`, globex)).total).toBe(0);
    expect((await readLog(`actor=${userId('org_admin')}`, globex)).total).toBe(0);
    const globexKey = await createKey({ role: 'viewer' }, { org: 'globex' });
    const own = await readLog(`entityId=${globexKey.id}`, globex);
    expect(own.data.map((e) => e.actor.id)).toEqual([userId('org_admin', 'globex')]);
    expect((await readLog(`entityId=${globexKey.id}`, await authHeaders('org_admin'))).total).toBe(0);
  });

  it('a super_admin reads any organization log through X-Organization-Id', async () => {
    const globexKey = await createKey({ role: 'viewer' }, { org: 'globex' });
    const query = `entityId=${globexKey.id}`;
    expect((await readLog(query, await authHeaders('super_admin'))).total).toBe(0);
    expect(
      (await readLog(query, await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }))).total,
    ).toBe(1);
  });
});
