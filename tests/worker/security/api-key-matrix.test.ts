import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateApiKeySecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { can, permissionTable, type Action } from '../../../src/auth/permissions.ts';
import { apiKeys, organizations, userRoles, users, type UserRole } from '../../../src/db/schema/index.ts';
import { call } from '../helpers.ts';
import {
  allowed,
  fixture,
  managementRoutes,
  request,
  type FixtureScope,
  type RouteUnderTest,
} from './matrix-operations.ts';
import { useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';

/**
 * The role matrix for API keys: management routes × key roles × the role the key's creator holds now. A
 * key acts for its creator, so a cell is allowed iff the route's action is in the key role's row AND in
 * the creator's current row (the oracle below computes that from the table on its own). One creator and
 * one key per role serve the whole file: the creator's role is changed in the database between rounds,
 * which is exactly the demotion (or promotion) a key must follow. It runs in an organization of its own,
 * so its fixtures never crowd demo (webhooks have a per-organization limit).
 *
 * The 20 (key role, creator role) pairs narrow to five permission sets. Every pair is checked on
 * /me/permissions; every route is tried with every one of the five sets, each time through a different
 * pair of that set (in turn, so each pair serves several routes). The whole grid is four times the
 * requests for the same sets (~2 minutes here against ~30 s).
 */

/** A key is never super_admin: create refuses it (422) and a check constraint keeps it out of the table. */
const KEY_ROLES = userRoles.filter((role) => role !== 'super_admin');

const effective = (keyRole: UserRole, creatorRole: UserRole): Action[] =>
  permissionTable[keyRole].filter((action) => permissionTable[creatorRole].includes(action));

interface Pair {
  keyRole: UserRole;
  creatorRole: UserRole;
}
const pairsBySet = new Map<string, Pair[]>();
for (const keyRole of KEY_ROLES) {
  for (const creatorRole of userRoles) {
    const set = effective(keyRole, creatorRole).join(' ');
    pairsBySet.set(set, [...(pairsBySet.get(set) ?? []), { keyRole, creatorRole }]);
  }
}
/** The pairs route number `n` is tried with: one per permission set, a different one for the next route. */
const pairsFor = (n: number): Pair[] => [...pairsBySet.values()].map((pairs) => pairs[n % pairs.length]!);

/** The edit rule ("owner or editor") decides on the row: those routes are also tried on the creator's own content. */
const ownerships = (route: RouteUnderTest) =>
  route.permissions.includes('content.update_own') ? [false, true] : [false];

const { db } = useHarness();

const { guarded } = managementRoutes();
const unique = () => crypto.randomUUID().slice(0, 8);
const secrets = new Map<UserRole, string>();
/** The key creator, and a colleague who wrote the content fixtures (so four-eyes rules never decide a cell). */
let organizationId = '';
let creatorId = '';
let colleagueId = '';

async function insertKey(role: UserRole): Promise<string> {
  const { secret, prefix } = generateApiKeySecret();
  await db.insert(apiKeys).values({
    organizationId,
    name: `key matrix ${role}`,
    role,
    prefix,
    secretHash: await hashApiKeySecret(secret),
    createdBy: creatorId,
  });
  return secret;
}

beforeAll(async () => {
  const [org] = await db
    .insert(organizations)
    .values({ name: `Key matrix ${unique()}`, slug: `key-matrix-${unique()}` })
    .returning({ id: organizations.id });
  organizationId = org!.id;
  const member = async (role: UserRole) => {
    const [row] = await db
      .insert(users)
      .values({ organizationId, email: `key-matrix-${role}-${crypto.randomUUID()}@example.com`, role })
      .returning({ id: users.id });
    return row!.id;
  };
  creatorId = await member('org_admin');
  colleagueId = await member('editor');
  for (const role of KEY_ROLES) secrets.set(role, await insertKey(role));
});

const scope = (owns: boolean): FixtureScope => ({
  organizationId,
  contentOwnerId: owns ? creatorId : colleagueId,
  memberId: colleagueId,
});

describe('role matrix for API keys', () => {
  it('has no super_admin key to try: the database refuses one', async () => {
    await expect(insertKey('super_admin')).rejects.toThrow();
  });

  for (const creatorRole of userRoles) {
    describe(`creator now ${creatorRole}`, () => {
      beforeAll(async () => {
        await db.update(users).set({ role: creatorRole }).where(eq(users.id, creatorId));
      });

      it('/me/permissions: the key role, and the actions both rows hold', async () => {
        for (const keyRole of KEY_ROLES) {
          const res = await call('/api/v1/me/permissions', {
            headers: { authorization: `Bearer ${secrets.get(keyRole)}` },
          });
          expect(res.status).toBe(200);
          expect(await res.json(), `${keyRole} key`).toMatchObject({
            role: keyRole,
            permissions: effective(keyRole, creatorRole),
          });
        }
      });

      for (const [n, route] of guarded.entries()) {
        const cells = pairsFor(n)
          .filter((pair) => pair.creatorRole === creatorRole)
          .flatMap(({ keyRole }) =>
            ownerships(route).map((owns) => {
              const actions = effective(keyRole, creatorRole);
              return {
                keyRole,
                owns,
                expected: allowed(actions, route, owns),
                // A guard that refuses never reads the id; a random one then also catches a guard that lets it through (404).
                needsFixture:
                  route.path.includes(':id') && route.permissions.some((action) => can(actions, action as Action)),
              };
            }),
          );
        if (cells.length === 0) continue;
        const summary = cells
          .map((c) => `${c.keyRole}${c.owns ? ' (own)' : ''} ${c.expected ? '2xx' : '403'}`)
          .join(', ');
        it(`${route.method} ${route.path}: ${summary}`, async () => {
          // Each cell has its own fixture, so the cells of a route run together.
          await Promise.all(
            cells.map(async ({ keyRole, owns, expected, needsFixture }) => {
              const id = needsFixture ? await fixture(db, route.path, scope(owns)) : crypto.randomUUID();
              const res = await request(
                route,
                `Bearer ${secrets.get(keyRole)}`,
                route.path.includes(':id') ? id : undefined,
              );
              const label = `${keyRole} key${owns ? ' on its creator\u2019s content' : ''}, creator ${creatorRole}`;
              score('role-matrix', { tried: 1, failed: (expected ? res.status < 300 : res.status === 403) ? 0 : 1 });
              if (expected) expect(res.status, `${label}: ${await res.clone().text()}`).toBeLessThan(300);
              else expect(res.status, `${label}: ${await res.clone().text()}`).toBe(403);
            }),
          );
        });
      }
    });
  }
});
