import { env } from 'cloudflare:test';
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, expect } from 'vitest';
import { openDatabase } from '../../../src/db/client.ts';
import {
  auditLog,
  organizations,
  users,
  type AuditEntry,
  type UserRole,
  type UserStatus,
} from '../../../src/db/schema/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { tokenForUser } from '../auth.ts';
import { readProblem } from '../helpers.ts';

/**
 * Direct database access for the users and organizations suites: arrange users the API could not
 * (or should not) be trusted to create, and assert on rows and audit entries the API wrote.
 * Call once per test file, at module level.
 */
export function testDatabase() {
  const handle = openDatabase(loadConfig(env), () => {});
  afterAll(() => handle.close());
  const { db } = handle;

  const unique = () => crypto.randomUUID().slice(0, 8);

  return {
    db,
    unique,
    randomEmail: (label = 'user') => `${label}-${crypto.randomUUID()}@example.com`,

    async insertOrganization(overrides: { name?: string; apiRateLimitPerMinute?: number | null } = {}) {
      const [org] = await db
        .insert(organizations)
        .values({ name: `Test ${unique()}`, slug: `t-${unique()}`, ...overrides })
        .returning();
      return org!;
    },

    /** A user of our own, so tests never change the seeded users' role or status. */
    async insertUser(organizationId: string, role: UserRole, options: { status?: UserStatus; email?: string } = {}) {
      const [user] = await db
        .insert(users)
        .values({
          organizationId,
          role,
          status: options.status ?? 'active',
          email: options.email ?? `${role.replace('_', '-')}-${crypto.randomUUID()}@example.com`,
          profile: { displayName: 'Test user' },
        })
        .returning();
      return {
        ...user!,
        headers: async (extra: Record<string, string> = {}) => ({
          authorization: `Bearer ${await tokenForUser(user!.id)}`,
          ...extra,
        }),
      };
    },

    async userRow(id: string) {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row;
    },

    async organizationRow(id: string) {
      const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
      return row;
    },

    async auditFor(entityType: string, entityId: string): Promise<AuditEntry[]> {
      return db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
        .orderBy(asc(auditLog.id));
    },
  };
}

/** Query strings every paginated list must refuse with 400, and the parameter the problem must name. */
export const BAD_PAGINATION = [
  ['?page=0', 'query.page'],
  ['?page=-1', 'query.page'],
  ['?page=abc', 'query.page'],
  ['?limit=0', 'query.limit'],
  ['?limit=101', 'query.limit'],
  ['?limit=-1', 'query.limit'],
  ['?limit=abc', 'query.limit'],
  ['?limit=2.5', 'query.limit'],
  [`?q=${'a'.repeat(101)}`, 'query.q'],
] as const;

/** A 400 validation problem that names `path` among its field errors. */
export async function expectInvalid(res: Response, path: string, label: string): Promise<void> {
  expect(res.status, label).toBe(400);
  const problem = await readProblem(res);
  expect(problem.code, label).toBe('validation_failed');
  expect(
    problem.errors.map((e) => e.path),
    label,
  ).toContain(path);
}

/**
 * A profile `depth` levels deep (the profile object is level 1, then arrays), as JSON text: built by hand,
 * so the test itself never recurses through it. Depth 5,000 is about 10 KB.
 */
export const nestedProfileJson = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;

/** A 400 naming body.profile as nested too deep. */
export async function expectTooDeep(res: Response, label: string): Promise<void> {
  expect(res.status, label).toBe(400);
  const problem = await readProblem(res);
  expect(problem.code, label).toBe('validation_failed');
  expect(problem.errors, label).toEqual([expect.objectContaining({ path: 'body.profile', code: 'too_deep' })]);
}
