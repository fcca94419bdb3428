import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { organizations, users, type Organization, type User } from '../../../src/db/schema/index.ts';
import { readProblem } from '../harness.ts';

export async function userRow(db: Database, id: string): Promise<User | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

export async function organizationRow(db: Database, id: string): Promise<Organization | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
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
