import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { permissionTable } from '../../../src/auth/permissions.ts';
import { apiKeys, users } from '../../../src/db/schema/index.ts';
import { authHeaders, jsonHeaders, ORG_ID, userId } from '../auth.ts';
import { call, eventually, readProblem } from '../helpers.ts';
import { useHarness } from '../harness.ts';
import { createKey, insertKey, keyHeaders } from './fixtures.ts';

const { db, insertUser } = useHarness();

const me = (headers: Record<string, string>) => call('/api/v1/me', { headers });

async function expectInvalidKey(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toBe('Bearer realm="contentos", error="invalid_token"');
  expect((await readProblem(res)).code).toBe('invalid_api_key');
}

describe('authenticating with an API key (Authorization: Bearer cos_…)', () => {
  it('a created key authenticates as itself, with the role it was given, in its organization', async () => {
    const key = await createKey({ role: 'approver' });
    const res = await me(keyHeaders(key.secret));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      principalType: 'api_key',
      role: 'approver',
      user: null,
      apiKey: { id: key.id, name: key.name, prefix: key.prefix },
      organization: { id: ORG_ID.demo, slug: 'demo' },
      permissions: [...permissionTable.approver],
    });
  });

  it('an editor key does what an editor does (content, as the key creator) and is 403 where an editor is', async () => {
    const key = await createKey({ role: 'editor' });
    const headers = keyHeaders(key.secret);
    expect((await call('/api/v1/content', { headers })).status).toBe(200);
    const created = await call('/api/v1/content', {
      method: 'POST',
      headers: jsonHeaders(headers),
      body: JSON.stringify({ type: 'education', title: `Written by a key ${crypto.randomUUID()}`, platforms: ['web'] }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { creatorId: string }).creatorId).toBe(userId('org_admin'));

    for (const [method, path] of [
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/api-keys'],
      ['GET', '/api/v1/audit-log'],
    ] as const) {
      const res = await call(path, { method, headers });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });

  it('a key cannot switch organization with X-Organization-Id (403)', async () => {
    const key = await createKey({ role: 'org_admin' });
    const res = await me(keyHeaders(key.secret, { 'x-organization-id': ORG_ID.globex }));
    expect(res.status).toBe(403);
    expect((await readProblem(res)).code).toBe('organization_switch_forbidden');
  });

  it('401 for a revoked key', async () => {
    const key = await createKey({ role: 'viewer' });
    expect(
      (await call(`/api/v1/api-keys/${key.id}`, { method: 'DELETE', headers: await authHeaders('org_admin') })).status,
    ).toBe(204);
    await expectInvalidKey(await me(keyHeaders(key.secret)));
  });

  it('401 for an expired key, and 200 for one that has not expired yet', async () => {
    const expired = await insertKey(db, { role: 'viewer', expiresAt: new Date(Date.now() - 1_000) });
    await expectInvalidKey(await me(keyHeaders(expired.secret)));
    const valid = await insertKey(db, { role: 'viewer', expiresAt: new Date(Date.now() + 60_000) });
    expect((await me(keyHeaders(valid.secret))).status).toBe(200);
  });

  it('401 for a tampered key (one character changed), a truncated key, and an unknown key', async () => {
    const key = await createKey({ role: 'viewer' });
    const last = key.secret.at(-1)!;
    const tampered = key.secret.slice(0, -1) + (last === 'A' ? 'B' : 'A');
    const middle = Math.floor(key.secret.length / 2);
    const tamperedMiddle =
      key.secret.slice(0, middle) + (key.secret[middle] === 'x' ? 'y' : 'x') + key.secret.slice(middle + 1);
    for (const secret of [tampered, tamperedMiddle, key.secret.slice(0, -1), key.prefix, `cos_${'A'.repeat(43)}`]) {
      await expectInvalidKey(await me(keyHeaders(secret)));
    }
    expect((await me(keyHeaders(key.secret))).status).toBe(200);
  });

  it('records lastUsedAt after a key is used', async () => {
    const key = await createKey({ role: 'viewer' });
    expect(key.lastUsedAt).toBeNull();
    const before = Date.now();
    expect((await me(keyHeaders(key.secret))).status).toBe(200);
    const lastUsedAt = await eventually(
      async () =>
        (await db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, key.id)))[0]?.at ?? undefined,
    );
    expect(lastUsedAt.getTime()).toBeGreaterThan(before - 60_000);
    const shown = (await (
      await call(`/api/v1/api-keys/${key.id}`, { headers: await authHeaders('org_admin') })
    ).json()) as { lastUsedAt: string };
    expect(shown.lastUsedAt).toBe(lastUsedAt.toISOString());
  });

  it('shows the secret only at creation: never in the list, the key itself, or /me', async () => {
    const key = await createKey({ role: 'viewer' });
    const admin = await authHeaders('org_admin');
    const texts = await Promise.all([
      call(`/api/v1/api-keys/${key.id}`, { headers: admin }).then((r) => r.text()),
      call('/api/v1/api-keys?limit=100', { headers: admin }).then((r) => r.text()),
      me(keyHeaders(key.secret)).then((r) => r.text()),
    ]);
    for (const text of texts) {
      expect(text).not.toContain(key.secret);
      expect(text).not.toContain('"secret"');
    }
  });

  // A key acts as its creator: offboarding the creator must not leave their keys live (ADR 0006).
  it('a key stops working when its creator is suspended', async () => {
    const creator = await insertUser(ORG_ID.demo, 'org_admin');
    const key = await createKey({ role: 'viewer' }, { headers: creator.headers });
    expect(key.createdBy).toBe(creator.id);
    await db.update(users).set({ status: 'suspended' }).where(eq(users.id, creator.id));
    expect((await me(creator.headers)).status).toBe(403);
    // The same answer as a revoked key: whoever holds the key learns nothing about its creator.
    await expectInvalidKey(await me(keyHeaders(key.secret)));
  });
});
