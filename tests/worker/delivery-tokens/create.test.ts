import { describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { authHeaders, ORG_ID, userId } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { uniqueName, useHarness } from '../harness.ts';
import { createToken, createTokenRequest, inDays, storedToken, tokensNamed } from './fixtures.ts';

const { db, auditRows } = useHarness();

describe('POST /api/v1/delivery-tokens', () => {
  it('201 with Location and the secret once; only the SHA-256 hash is stored', async () => {
    const name = uniqueName('site');
    const res = await createTokenRequest({ name: `  ${name}  ` }, await authHeaders('org_admin'));
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as Record<string, unknown> & { id: string; secret: string; prefix: string };
    expect(res.headers.get('location')).toBe(`/api/v1/delivery-tokens/${body.id}`);
    expect(body).toMatchObject({
      name,
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
      'secret',
      'status',
    ]);
    expect(body.secret).toMatch(/^cosd_[A-Za-z0-9_-]{43}$/);
    expect(body.secret.startsWith(body.prefix)).toBe(true);
    expect(body.prefix.length).toBeLessThan(body.secret.length / 2);

    const [row] = await tokensNamed(db, name);
    expect(row).toMatchObject({
      id: body.id,
      organizationId: ORG_ID.demo,
      createdBy: userId('org_admin'),
      prefix: body.prefix,
      revokedAt: null,
      expiresAt: null,
    });
    expect(row!.secretHash).toBe(await hashApiKeySecret(body.secret));
    expect(row!.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.secret);
  });

  it('audits delivery_token.create with the token details, never the secret or its hash', async () => {
    const requestId = `test-${crypto.randomUUID()}`;
    const expiresAt = inDays(30);
    const res = await createTokenRequest(
      { name: uniqueName('audited'), expiresAt },
      await authHeaders('org_admin', 'demo', { 'x-request-id': requestId }),
    );
    expect(res.status).toBe(201);
    const token = (await res.json()) as { id: string; name: string; prefix: string; secret: string };
    const rows = await auditRows({ type: 'delivery_token', id: token.id, action: 'delivery_token.create' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: ORG_ID.demo,
      actorType: 'user',
      actorId: userId('org_admin'),
      requestId,
    });
    expect(rows[0]!.changes).toEqual({
      before: {},
      after: {
        name: token.name,
        prefix: token.prefix,
        expiresAt: new Date(expiresAt).toISOString(),
        createdBy: userId('org_admin'),
      },
    });
    const stored = JSON.stringify(rows[0]);
    expect(stored).not.toContain(token.secret);
    expect(stored).not.toContain(await hashApiKeySecret(token.secret));
  });

  it('accepts an expiry in the future, up to two years ahead, with an offset, or null for none', async () => {
    const expiresAt = inDays(700);
    const token = await createToken({ expiresAt });
    expect(token.expiresAt).toBe(new Date(expiresAt).toISOString());
    expect(token.status).toBe('active');
    const year = new Date().getUTCFullYear() + 1;
    expect((await createToken({ expiresAt: `${year}-06-01T00:00:00+02:00` })).expiresAt).toBe(
      `${year}-05-31T22:00:00.000Z`,
    );
    expect((await createToken({ expiresAt: null })).expiresAt).toBeNull();
    expect((await createToken({ name: 'n'.repeat(100) })).name).toBe('n'.repeat(100));
  });

  it.each([
    ['in the past', () => inDays(-1), 'expires_at_in_past'],
    ['right now', () => new Date().toISOString(), 'expires_at_in_past'],
    ['more than two years ahead', () => inDays(2 * 366 + 1), 'expires_at_too_far'],
  ])('422 for an expiry %s, and nothing is created', async (_label, expiresAt, code) => {
    const name = uniqueName('expiry');
    const res = await createTokenRequest({ name, expiresAt: expiresAt() }, await authHeaders('org_admin'));
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe(code);
    expect(problem.errors.map((e) => e.path)).toEqual(['body.expiresAt']);
    expect(await tokensNamed(db, name)).toEqual([]);
  });

  it.each([
    ['an unknown field', { name: 'x', scopes: ['all'] }, 'body.scopes'],
    ['a role (tokens have none)', { name: 'x', role: 'viewer' }, 'body.role'],
    ['a server-owned secret', { name: 'x', secret: 'cosd_mine' }, 'body.secret'],
    ['a server-owned hash', { name: 'x', secret_hash: 'ab' }, 'body.secret_hash'],
    ['a server-owned status', { name: 'x', status: 'active' }, 'body.status'],
    ['a server-owned creator', { name: 'x', createdBy: '00000000-0000-4000-8000-000000000000' }, 'body.createdBy'],
    ['another organization', { name: 'x', organizationId: ORG_ID.globex }, 'body.organizationId'],
    ['no name', {}, 'body.name'],
    ['an empty name', { name: '  ' }, 'body.name'],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'body.name'],
    ['a name that is not a string', { name: 42 }, 'body.name'],
    ['an expiry that is not a date-time', { name: 'x', expiresAt: 'tomorrow' }, 'body.expiresAt'],
    ['an expiry without a time zone', { name: 'x', expiresAt: '2030-01-01T00:00:00' }, 'body.expiresAt'],
  ])('400 naming the field for %s', async (_label, body, path) => {
    const res = await createTokenRequest(body, await authHeaders('org_admin'));
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it('400 for a body that is not JSON', async () => {
    const res = await call('/api/v1/delivery-tokens', {
      method: 'POST',
      headers: { ...(await authHeaders('org_admin')), 'content-type': 'application/json' },
      body: '{"name":',
    });
    expect(res.status).toBe(400);
    expect((await readProblem(res)).code).toBe('malformed_json');
  });

  it('401 without credentials, and nothing is created', async () => {
    const name = uniqueName('anonymous');
    const res = await createTokenRequest({ name }, {});
    expect(res.status).toBe(401);
    expect((await readProblem(res)).code).toBe('missing_credentials');
    expect(await tokensNamed(db, name)).toEqual([]);
  });

  it.each(['editor', 'approver', 'viewer'] as const)('403 for a %s, and nothing is created', async (role) => {
    const name = uniqueName(role);
    const res = await createTokenRequest({ name }, await authHeaders(role));
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('forbidden');
    expect(await tokensNamed(db, name)).toEqual([]);
  });

  it('binds the token to the caller organization: a globex org_admin creates a globex token', async () => {
    const token = await createToken({}, { org: 'globex' });
    expect(token.createdBy).toBe(userId('org_admin', 'globex'));
    expect((await storedToken(db, token.id))!.organizationId).toBe(ORG_ID.globex);
  });

  it('a super_admin creates tokens in its own organization, but not while acting in another (422)', async () => {
    const own = await createToken({}, { headers: await authHeaders('super_admin') });
    expect(own.createdBy).toBe(userId('super_admin'));
    const name = uniqueName('cross-tenant');
    const res = await createTokenRequest(
      { name },
      await authHeaders('super_admin', 'demo', { 'x-organization-id': ORG_ID.globex }),
    );
    expect(res.status).toBe(422);
    const problem = await readProblem(res);
    expect(problem.code).toBe('delivery_token_creator_not_member');
    expect(problem.errors.map((e) => e.path)).toEqual(['header.x-organization-id']);
    expect(await tokensNamed(db, name)).toEqual([]);
  });

  it('replays a retried create with the same Idempotency-Key instead of minting a second token', async () => {
    const name = uniqueName('idempotent');
    const headers = await authHeaders('org_admin', 'demo', { 'idempotency-key': crypto.randomUUID() });
    const first = await createTokenRequest({ name }, headers);
    const second = await createTokenRequest({ name }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    expect(await tokensNamed(db, name)).toHaveLength(1);
  });
});
