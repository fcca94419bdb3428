import { describe, expect, it } from 'vitest';
import { authHeaders } from '../auth.ts';
import { call, readProblem } from '../helpers.ts';
import { createToken } from './fixtures.ts';

// A delivery token leaked from a website must not open the management API: it is neither a JWT nor a cos_ key.
describe('a delivery token on the management API', () => {
  it.each(['active', 'revoked'] as const)('is 401 problem+json for an %s token', async (state) => {
    const token = await createToken();
    if (state === 'revoked') {
      expect(
        (
          await call(`/api/v1/delivery-tokens/${token.id}`, {
            method: 'DELETE',
            headers: await authHeaders('org_admin'),
          })
        ).status,
      ).toBe(204);
    }
    for (const path of ['/api/v1/me', '/api/v1/delivery-tokens']) {
      const res = await call(path, { headers: { authorization: `Bearer ${token.secret}` } });
      expect(res.status, path).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = await readProblem(res);
      expect(problem).toMatchObject({ status: 401, code: 'invalid_token' });
      expect(JSON.stringify(problem)).not.toContain(token.secret);
    }
  });
});
