import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { apiKeys, auditLog, idempotencyKeys } from '../../../src/db/schema/index.ts';
import { mayGrantRole } from '../../../src/services/api-keys/create-api-key.ts';
import { hashIdempotencyKey } from '../../../src/services/idempotency/sealed-response.ts';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { uniqueName, useHarness } from '../harness.ts';
import { createKey, createKeyRequest, keyHeaders } from './fixtures.ts';

const { db } = useHarness();

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const keysNamed = (name: string) => db.select().from(apiKeys).where(eq(apiKeys.name, name));

describe('POST /api/v1/api-keys', () => {
  it('201 with Location and the secret once; only the SHA-256 hash is stored', async () => {
    const name = uniqueName('ci');
    const res = await createKeyRequest({ name, role: 'editor' }, await authHeaders('org_admin'));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown> & { id: string; secret: string; prefix: string };
    expect(res.headers.get('location')).toBe(`/api/v1/api-keys/${body.id}`);
    expect(body).toMatchObject({
      name,
      role: 'editor',
      status: 'active',
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
      createdBy: userId('org_admin'),
    });
    expect(Object.keys(body).sort()).toEqual([
      'createdAt',
      'createdBy',
      'expiresAt',
      'id',
      'lastUsedAt',
      'name',
      'prefix',
      'revokedAt',
      'role',
      'secret',
      'status',
    ]);
    expect(body.secret).toMatch(/^cos_[A-Za-z0-9_-]{43}$/);
    expect(body.secret.startsWith(body.prefix)).toBe(true);
    expect(body.prefix.length).toBeLessThan(body.secret.length / 2);

    const [row] = await keysNamed(name);
    expect(row).toMatchObject({
      id: body.id,
      organizationId: ORG_ID.demo,
      role: 'editor',
      createdBy: userId('org_admin'),
      prefix: body.prefix,
    });
    expect(row!.secretHash).toBe(await hashApiKeySecret(body.secret));
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.secret);
  });

  it('audits api_key.create with the key details, never the secret or its hash', async () => {
    const requestId = `test-${crypto.randomUUID()}`;
    const expiresAt = inDays(30);
    const res = await createKeyRequest(
      { name: uniqueName('audited'), role: 'viewer', expiresAt },
      await authHeaders('org_admin', 'demo', { 'x-request-id': requestId }),
    );
    expect(res.status).toBe(201);
    const key = (await res.json()) as { id: string; name: string; prefix: string; secret: string };
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'api_key'), eq(auditLog.entityId, key.id)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: ORG_ID.demo,
      action: 'api_key.create',
      actorType: 'user',
      actorId: userId('org_admin'),
      requestId,
    });
    expect(rows[0]!.changes).toEqual({
      before: {},
      after: {
        name: key.name,
        role: 'viewer',
        prefix: key.prefix,
        expiresAt: new Date(expiresAt).toISOString(),
        createdBy: userId('org_admin'),
      },
    });
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(key.secret);
    expect(stored).not.toContain(await hashApiKeySecret(key.secret));
  });

  it('accepts an expiry in the future, up to two years ahead, or null for none', async () => {
    const expiresAt = inDays(700);
    const key = await createKey({ role: 'approver', expiresAt });
    expect(key.expiresAt).toBe(new Date(expiresAt).toISOString());
    expect(key.status).toBe('active');
    const year = new Date().getUTCFullYear() + 1;
    const withOffset = await createKey({ role: 'viewer', expiresAt: `${year}-06-01T00:00:00+02:00` });
    expect(withOffset.expiresAt).toBe(`${year}-05-31T22:00:00.000Z`);
    expect((await createKey({ role: 'viewer', expiresAt: null })).expiresAt).toBeNull();
  });

  it.each([
    ['in the past', () => inDays(-1), 'expires_at_in_past'],
    ['right now', () => new Date().toISOString(), 'expires_at_in_past'],
    ['more than two years ahead', () => inDays(2 * 366 + 1), 'expires_at_too_far'],
  ])('422 for an expiry %s, and nothing is created', async (_label, expiresAt, code) => {
    const name = uniqueName('expiry');
    const res = await createKeyRequest(
      { name, role: 'viewer', expiresAt: expiresAt() },
      await authHeaders('org_admin'),
    );
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe(code);
    expect(problem.errors.map((e) => e.path)).toEqual(['body.expiresAt']);
    expect(await keysNamed(name)).toEqual([]);
  });

  it('422 for the super_admin role, even from a super_admin', async () => {
    const name = uniqueName('super');
    const res = await createKeyRequest({ name, role: 'super_admin' }, await authHeaders('super_admin'));
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe('api_key_role_not_allowed');
    expect(problem.errors.map((e) => e.path)).toEqual(['body.role']);
    expect(await keysNamed(name)).toEqual([]);
  });

  it.each([
    ['an unknown field', { name: 'x', role: 'viewer', scopes: ['all'] }, 'body.scopes'],
    ['a server-owned field', { name: 'x', role: 'viewer', secret: 'cos_mine' }, 'body.secret'],
    ['another organization', { name: 'x', role: 'viewer', organizationId: ORG_ID.globex }, 'body.organizationId'],
    ['an empty name', { name: '  ', role: 'viewer' }, 'body.name'],
    ['a name over 100 characters', { name: 'n'.repeat(101), role: 'viewer' }, 'body.name'],
    ['no role', { name: 'x' }, 'body.role'],
    ['an unknown role', { name: 'x', role: 'owner' }, 'body.role'],
    ['an expiry that is not a date-time', { name: 'x', role: 'viewer', expiresAt: 'tomorrow' }, 'body.expiresAt'],
    [
      'an expiry without a time zone',
      { name: 'x', role: 'viewer', expiresAt: '2030-01-01T00:00:00' },
      'body.expiresAt',
    ],
  ])('400 naming the field for %s', async (_label, body, path) => {
    const res = await createKeyRequest(body, await authHeaders('org_admin'));
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await call('/api/v1/api-keys', {
      method: 'POST',
      headers: { ...(await authHeaders('org_admin')), 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).code).toBe('malformed_json');
  });

  it('401 without credentials', async () => {
    const res = await createKeyRequest({ name: 'anonymous', role: 'viewer' }, {});
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
  });

  it.each(['editor', 'approver', 'viewer'] as const)('403 for a %s, and nothing is created', async (role) => {
    const name = uniqueName(role);
    const res = await createKeyRequest({ name, role: 'viewer' }, await authHeaders(role));
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('forbidden');
    expect(await keysNamed(name)).toEqual([]);
  });

  it('binds the key to the caller organization: a globex org_admin creates a globex key', async () => {
    const key = await createKey({ role: 'editor' }, { org: 'globex' });
    expect(key.createdBy).toBe(userId('org_admin', 'globex'));
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row!.organizationId).toBe(ORG_ID.globex);
  });

  it('a super_admin creates keys in its own organization, but not while acting in another (422)', async () => {
    const own = await createKey({ role: 'org_admin' }, { headers: await authHeaders('super_admin') });
    expect(own.createdBy).toBe(userId('super_admin'));
    const name = uniqueName('cross-tenant');
    const res = await createKeyRequest(
      { name, role: 'viewer' },
      await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
    );
    expect(res.status).toBe(422);
    expect((await readProblem(res)).code).toBe('api_key_creator_not_member');
    expect(await keysNamed(name)).toEqual([]);
  });

  it('an org_admin API key may create keys: created by its creator, audited as the key', async () => {
    const admin = await createKey({ role: 'org_admin' });
    const child = await createKey({ role: 'viewer' }, { headers: keyHeaders(admin.secret) });
    expect(child.createdBy).toBe(userId('org_admin'));
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'api_key'), eq(auditLog.entityId, child.id)));
    expect(entry).toMatchObject({ action: 'api_key.create', actorType: 'api_key', actorId: admin.id });
  });

  it('replays a retried create with the same Idempotency-Key instead of minting a second key', async () => {
    const name = uniqueName('idempotent');
    const headers = await authHeaders('org_admin', 'demo', { 'idempotency-key': crypto.randomUUID() });
    const first = await createKeyRequest({ name, role: 'viewer' }, headers);
    const second = await createKeyRequest({ name, role: 'viewer' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(await keysNamed(name)).toHaveLength(1);
  });

  // A replayed create must not mean a readable secret at rest: stored responses are sealed (ADR 0008).
  it('stores no plaintext secret anywhere, even when the create was sent with an Idempotency-Key', async () => {
    const key = crypto.randomUUID();
    const body = { name: uniqueName('idempotent-secret'), role: 'viewer' };
    const res = await createKeyRequest(body, await authHeaders('org_admin', 'demo', { 'idempotency-key': key }));
    expect(res.status).toBe(201);
    const { secret } = (await res.json()) as { secret: string };
    const hashedKey = await hashIdempotencyKey(key);
    const stored = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.principalId, userId('org_admin')), eq(idempotencyKeys.key, hashedKey)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.state).toBe('completed');
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(JSON.stringify(stored)).not.toContain(key);
    // The client that still holds the key gets the whole first response back, secret included.
    const replay = await createKeyRequest(body, await authHeaders('org_admin', 'demo', { 'idempotency-key': key }));
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(((await replay.json()) as { secret: string }).secret).toBe(secret);
  });
});

describe('mayGrantRole', () => {
  it('allows a key no more powerful than its creator: permissions compared, not a rank', () => {
    for (const role of ['org_admin', 'editor', 'approver', 'viewer'] as const)
      expect(mayGrantRole('org_admin', role)).toBe(true);
    expect(mayGrantRole('editor', 'viewer')).toBe(true);
    expect(mayGrantRole('editor', 'org_admin')).toBe(false);
    // Neither includes the other: editor may update any content, approver may approve.
    expect(mayGrantRole('editor', 'approver')).toBe(false);
    expect(mayGrantRole('approver', 'editor')).toBe(false);
    expect(mayGrantRole('viewer', 'editor')).toBe(false);
  });
});
