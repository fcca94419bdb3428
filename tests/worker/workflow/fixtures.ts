import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.ts';
import {
  auditLog,
  contentVersions,
  organizations,
  outbox,
  type Content,
  type NewContent,
} from '../../../src/db/schema/index.ts';
import { call, postJson, userId, type Headers, type Tenant } from '../harness.ts';
import { insertContent } from '../content/fixtures.ts';

export { readContent } from '../content/fixtures.ts';

/** POST /api/v1/content/{id}/<action>, with a JSON body when one is given. */
export function act(
  id: string,
  action: string,
  headers: Headers,
  body?: unknown,
  extra: Headers = {},
): Promise<Response> {
  const path = `/api/v1/content/${id}/${action}`;
  if (body === undefined) return call(path, { method: 'POST', headers: { ...headers, ...extra } });
  return postJson(path, body, { ...headers, ...extra });
}

export const putCompliance = (id: string, headers: Headers, body: unknown, extra: Headers = {}) =>
  postJson(`/api/v1/content/${id}/compliance`, body, { ...headers, ...extra }, 'PUT');

export const putContent = (id: string, headers: Headers, body: unknown) =>
  postJson(`/api/v1/content/${id}`, body, headers, 'PUT');

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

/** An item of a test's own tenant, created by its editor and passing both approval gates unless said otherwise. */
export function tenantItem(db: Database, tenant: Tenant, values: Partial<NewContent> = {}): Promise<Content> {
  return insertContent(db, {
    organizationId: tenant.id,
    creatorId: tenant.users.editor.id,
    title: `Tenant ${crypto.randomUUID()}`,
    platforms: ['web'],
    qualityScore: 8,
    complianceStatus: 'approved',
    ...values,
  });
}

export async function setThreshold(db: Database, tenant: Tenant, approvalThreshold: number): Promise<void> {
  await db.update(organizations).set({ approvalThreshold }).where(eq(organizations.id, tenant.id));
}
