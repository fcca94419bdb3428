import { and, asc, count, eq, sql } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import {
  auditLog,
  content,
  contentVersions,
  organizations,
  outbox,
  userRoles,
  users as usersTable,
  type Content,
  type NewContent,
  type UserRole,
} from '../../../src/db/schema/index.ts';
import { tokenForUser, userId } from '../auth.ts';
import { call } from '../helpers.ts';
import { insertContent } from '../content/fixtures.ts';

export { auditRows, readContent, useDatabase } from '../content/fixtures.ts';

export type Headers = Record<string, string>;

/** POST /api/v1/content/{id}/<action>, with a JSON body when one is given. */
export function act(
  id: string,
  action: string,
  headers: Headers,
  body?: unknown,
  extra: Headers = {},
): Promise<Response> {
  const json: Headers = body === undefined ? {} : { 'content-type': 'application/json' };
  return call(`/api/v1/content/${id}/${action}`, {
    method: 'POST',
    headers: { ...headers, ...json, ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export function putCompliance(id: string, headers: Headers, body: unknown, extra: Headers = {}): Promise<Response> {
  return call(`/api/v1/content/${id}/compliance`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json', ...extra },
    body: JSON.stringify(body),
  });
}

export function putContent(id: string, headers: Headers, body: unknown): Promise<Response> {
  return call(`/api/v1/content/${id}`, {
    method: 'PUT',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * An item ready for whatever a test does next: created by the seeded editor unless said otherwise, and
 * passing both approval gates (quality is set directly: the scorer is not what these tests are about).
 */
export function workflowItem(db: Database, values: Partial<NewContent> = {}): Promise<Content> {
  return insertContent(db, { creatorId: userId('editor'), qualityScore: 8, complianceStatus: 'approved', ...values });
}

export const versionsOf = (db: Database, id: string) =>
  db.select().from(contentVersions).where(eq(contentVersions.contentId, id)).orderBy(asc(contentVersions.version));

export const eventsOf = (db: Database, id: string) =>
  db.select().from(outbox).where(sql`${outbox.payload}->>'contentId' = ${id}`).orderBy(asc(outbox.occurredAt));

/** What a change leaves behind, counted: a success adds one of each, a failure none. */
export async function trail(db: Database, id: string): Promise<{ versions: number; audit: number; events: number }> {
  const [[versions], [audit], [events]] = await Promise.all([
    db.select({ n: count() }).from(contentVersions).where(eq(contentVersions.contentId, id)),
    db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'content'), eq(auditLog.entityId, id))),
    db.select({ n: count() }).from(outbox).where(sql`${outbox.payload}->>'contentId' = ${id}`),
  ]);
  return { versions: versions!.n, audit: audit!.n, events: events!.n };
}

export interface PrivateOrganization {
  id: string;
  users: Record<Exclude<UserRole, 'super_admin'>, { id: string; headers: Headers }>;
}

/**
 * An organization of the test's own, with one user per role: its policy can be changed without touching
 * what other test files (running in parallel) see in demo.
 */
export function usePrivateOrganization(db: Database, policy: { approvalThreshold?: number } = {}): PrivateOrganization {
  const org = { id: '', users: {} } as PrivateOrganization;
  beforeAll(async () => {
    const slug = `wf-${crypto.randomUUID().slice(0, 8)}`;
    const [row] = await db
      .insert(organizations)
      .values({ name: `Workflow ${slug}`, slug, ...policy })
      .returning();
    org.id = row!.id;
    for (const role of userRoles.filter((r): r is Exclude<UserRole, 'super_admin'> => r !== 'super_admin')) {
      const [user] = await db
        .insert(usersTable)
        .values({ organizationId: org.id, email: `${role}-${slug}@example.com`, role })
        .returning();
      org.users[role] = { id: user!.id, headers: { authorization: `Bearer ${await tokenForUser(user!.id)}` } };
    }
  });
  return org;
}

/** An item in a private organization (insertContent knows only the seeded ones). */
export async function privateItem(
  db: Database,
  org: PrivateOrganization,
  values: Partial<NewContent> = {},
): Promise<Content> {
  const [row] = await db
    .insert(content)
    .values({
      organizationId: org.id,
      creatorId: org.users.editor.id,
      type: 'education',
      title: `Private ${crypto.randomUUID()}`,
      platforms: ['web'],
      qualityScore: 8,
      complianceStatus: 'approved',
      ...values,
    })
    .returning();
  return row!;
}

export async function setThreshold(db: Database, org: PrivateOrganization, approvalThreshold: number): Promise<void> {
  await db.update(organizations).set({ approvalThreshold }).where(eq(organizations.id, org.id));
}
