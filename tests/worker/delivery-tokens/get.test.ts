import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { createToken } from './fixtures.ts';

describe('GET /api/v1/delivery-tokens/{id}', () => {
  it('returns the token where Location points, without the secret', async () => {
    const created = await createToken();
    const res = await call(`/api/v1/delivery-tokens/${created.id}`, { headers: await authHeaders('org_admin') });
    expect(res.status).toBe(200);
    const { secret, ...resource } = created;
    const text = await res.text();
    expect(JSON.parse(text)).toEqual(resource);
    expect(text).not.toContain(secret);
  });

  it('404 for another organization token, exactly like an unknown id; 400 for a malformed id', async () => {
    const demoToken = await createToken();
    const globex = await authHeaders('org_admin', 'globex');
    const other = await call(`/api/v1/delivery-tokens/${demoToken.id}`, { headers: globex });
    const unknown = await call(`/api/v1/delivery-tokens/${crypto.randomUUID()}`, { headers: globex });
    expect(other.status).toBe(404);
    expect(unknown.status).toBe(404);
    const [a, b] = [await readProblem(other), await readProblem(unknown)];
    expect({ ...a, requestId: '', instance: '' }).toEqual({ ...b, requestId: '', instance: '' });
    const malformed = await call('/api/v1/delivery-tokens/not-a-uuid', { headers: globex });
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors.map((e) => e.path)).toEqual(['path.id']);
  });

  it('401 without credentials, 403 for editor, approver and viewer', async () => {
    const token = await createToken();
    expect((await call(`/api/v1/delivery-tokens/${token.id}`)).status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await call(`/api/v1/delivery-tokens/${token.id}`, { headers: await authHeaders(role) });
      expect(res.status, role).toBe(403);
      expect(await res.text()).not.toContain(token.prefix);
    }
  });
});
