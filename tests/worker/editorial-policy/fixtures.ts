import type { UserRole } from '../../../src/db/schema/index.ts';
import { call } from '../helpers.ts';
import type { testDatabase } from '../users/fixtures.ts';

/**
 * An organization of the test's own, with users of the roles asked for: policy changes there cannot
 * disturb the seeded tenants that other test files create content in.
 */
export async function ownOrganization<R extends UserRole>(t: ReturnType<typeof testDatabase>, roles: readonly R[]) {
  const org = await t.insertOrganization();
  const users = {} as Record<R, { id: string; headers: Record<string, string> }>;
  for (const role of roles) {
    const user = await t.insertUser(org.id, role);
    users[role] = { id: user.id, headers: await user.headers({ 'content-type': 'application/json' }) };
  }
  return { org, users };
}

export const putPolicy = (headers: Record<string, string>, body: unknown) =>
  call('/api/v1/editorial-policy', {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

export const getPolicy = (headers: Record<string, string>) => call('/api/v1/editorial-policy', { headers });
