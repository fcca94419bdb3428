import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.ts';
import {
  auditLog,
  content,
  contentVersions,
  outbox,
  type Content,
  type NewContent,
} from '../../../src/db/schema/index.ts';

const MINUTE = 60_000;
export const minutes = (at: Date, n: number) => new Date(at.getTime() + n * MINUTE);

/**
 * A minute-aligned instant of its own, in a year no API write can reach: the cron's catch-up query is
 * platform-wide, and fixtures far from every other test's ticks are neither published nor counted by them.
 */
export function instantIn(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) + Math.floor(Math.random() * 500_000) * MINUTE);
}

/** Approved, gates met, scheduled at version 3: what a successful POST …/schedule leaves behind. */
export async function insertScheduled(
  db: Database,
  organizationId: string,
  creatorId: string,
  values: Partial<NewContent> & { scheduledAt: Date | null },
): Promise<Content> {
  const [row] = await db
    .insert(content)
    .values({
      organizationId,
      creatorId,
      type: 'education',
      title: `Scheduled ${crypto.randomUUID()}`,
      body: 'Body.',
      platforms: ['web'],
      status: 'approved',
      qualityScore: 8,
      complianceStatus: 'approved',
      version: 3,
      scheduledVersion: 3,
      ...values,
    })
    .returning();
  return row!;
}

export async function readItem(db: Database, id: string): Promise<Content> {
  const [row] = await db.select().from(content).where(eq(content.id, id));
  return row!;
}

/** Everything a change leaves behind for one item: version snapshots, audit rows, outbox events. */
export async function trailOf(db: Database, id: string) {
  const [versions, audit, events] = await Promise.all([
    db.select().from(contentVersions).where(eq(contentVersions.contentId, id)).orderBy(asc(contentVersions.version)),
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'content'), eq(auditLog.entityId, id)))
      .orderBy(asc(auditLog.id)),
    db.select().from(outbox).where(sql`${outbox.payload}->>'contentId' = ${id}`).orderBy(asc(outbox.occurredAt)),
  ]);
  return { versions, audit, events };
}
