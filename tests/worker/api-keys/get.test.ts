import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { createKey } from './fixtures.ts';

describe('GET /api/v1/api-keys/{id}', () => {
  it('returns the key where Location points, without the secret', async () => {
    const headers = await authHeaders('org_admin');
    const created = await createKey({ role: 'approver' });
    const res = await call(`/api/v1/api-keys/${created.id}`, { headers });
    expect(res.status).toBe(200);
    const { secret, ...resource } = created;
    const text = await res.text();
    expect(JSON.parse(text)).toEqual(resource);
    expect(text).not.toContain(secret);
  });

  it('404 for another organization key, exactly like an unknown id; 400 for a malformed id', async () => {
    const demoKey = await createKey({ role: 'viewer' });
    const globex = await authHeaders('org_admin', 'globex');
    const other = await call(`/api/v1/api-keys/${demoKey.id}`, { headers: globex });
    const unknown = await call(`/api/v1/api-keys/${crypto.randomUUID()}`, { headers: globex });
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [await readProblem(other), await readProblem(unknown)];
    expect({ ...a, requestId: '', instance: '' }).toEqual({ ...b, requestId: '', instance: '' });
    const malformed = await call('/api/v1/api-keys/not-a-uuid', { headers: globex });
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors.map((e) => e.path)).toEqual(['path.id']);
  });

  it('401 without credentials, 403 for an editor', async () => {
    const key = await createKey({ role: 'viewer' });
    expect((await call(`/api/v1/api-keys/${key.id}`)).status).toBe(401);
    expect((await call(`/api/v1/api-keys/${key.id}`, { headers: await authHeaders('editor') })).status).toBe(403);
  });
});
