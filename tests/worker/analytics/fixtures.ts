import { asc, eq } from 'drizzle-orm';
import type { Database } from '../../../src/db/client.ts';
import {
  content,
  engagementDaily,
  engagementDropped,
  type Content,
  type NewContent,
} from '../../../src/db/schema/index.ts';
import { parseEventAs } from '../../../src/events/catalogue.ts';
import {
  ENGAGEMENT_BATCH_EVENT,
  engagementBatchEvent,
  type EngagementBatchEvent,
  type EngagementEvent,
} from '../../../src/events/engagement.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import type { Logger } from '../../../src/lib/logger.ts';
import { addDays, utcDay } from '../../../src/services/analytics/day-window.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { insertContent } from '../content/fixtures.ts';

export const today = () => utcDay(new Date());
/** Noon UTC of `day`: far from both midnights, so the day never depends on when the test runs. */
export const noonOf = (day: string) => `${day}T12:00:00.000Z`;
export const daysAgo = (n: number) => addDays(today(), -n);

/** An item of `organizationId`; published (a live snapshot) unless said otherwise. */
export async function insertItem(
  db: Database,
  owner: { organizationId: string; creatorId: string },
  values: Partial<NewContent> & { published?: boolean } = {},
): Promise<Content> {
  const { published = true, ...rest } = values;
  return insertContent(db, {
    ...owner,
    title: `Analytics ${crypto.randomUUID()}`,
    platforms: ['web'],
    status: published ? 'published' : 'draft',
    publishedVersion: published ? 1 : null,
    publishedAt: published ? new Date() : null,
    ...rest,
  });
}

export const event = (
  type: EngagementEvent['type'],
  contentId: string,
  platform = 'web',
  day = today(),
): EngagementEvent => ({ type, contentId, platform, occurredAt: noonOf(day) });

/** An `engagement.batch` envelope as the ingest route puts it on the queue (and the consumer parses it). */
export const batchOf = (organizationId: string, events: EngagementEvent[]): EngagementBatchEvent =>
  parseEventAs(
    engagementBatchEvent,
    newEvent(ENGAGEMENT_BATCH_EVENT, organizationId, {
      receivedAt: new Date().toISOString(),
      deliveryTokenId: crypto.randomUUID(),
      events,
    }),
  );

export const dailyOf = (db: Database, contentId: string) =>
  db
    .select({
      day: engagementDaily.day,
      platform: engagementDaily.platform,
      views: engagementDaily.views,
      clicks: engagementDaily.clicks,
      shares: engagementDaily.shares,
      likes: engagementDaily.likes,
    })
    .from(engagementDaily)
    .where(eq(engagementDaily.contentId, contentId))
    .orderBy(asc(engagementDaily.day), asc(engagementDaily.platform));

export const droppedOf = (db: Database, organizationId: string) =>
  db
    .select({ day: engagementDropped.day, reason: engagementDropped.reason, count: engagementDropped.count })
    .from(engagementDropped)
    .where(eq(engagementDropped.organizationId, organizationId))
    .orderBy(asc(engagementDropped.day), asc(engagementDropped.reason));

type Counts = { views?: number; clicks?: number; shares?: number; likes?: number };

/** Daily rows written straight to the table, for read tests that need exact days and counts. */
export async function insertDaily(
  db: Database,
  item: Pick<Content, 'id' | 'organizationId'>,
  rows: Array<{ day: string; platform: string } & Counts>,
): Promise<void> {
  await db
    .insert(engagementDaily)
    .values(rows.map((row) => ({ organizationId: item.organizationId, contentId: item.id, ...row })));
}

export async function insertDropped(
  db: Database,
  organizationId: string,
  rows: Array<{ day: string; reason: string; count: number }>,
): Promise<void> {
  await db.insert(engagementDropped).values(rows.map((row) => ({ organizationId, ...row })));
}

/** Makes an item's rows look long settled, as if their last change was well before any rollup. */
export const settle = (db: Database, contentId: string) =>
  db
    .update(engagementDaily)
    .set({ updatedAt: new Date(Date.now() - 3_600_000) })
    .where(eq(engagementDaily.contentId, contentId));

export async function statsOf(db: Database, id: string): Promise<Record<string, unknown>> {
  const [row] = await db.select({ stats: content.engagementStats }).from(content).where(eq(content.id, id));
  return row!.stats;
}

export interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** The same services with a logger that keeps its lines, so a test can check what an operator would see. */
export function recordingLogs(ctx: ServiceContext): { ctx: ServiceContext; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger: Logger = {
    log: (level, msg, fields = {}) => void lines.push({ level, msg, fields }),
    child: () => logger,
  };
  return { ctx: { ...ctx, logger }, lines };
}

/**
 * Runs `work` while another connection (`holder`'s) holds the item's row FOR UPDATE, as an edit in flight
 * would. Needs two sessions at once: not on PGlite.
 */
export async function whileRowLocked<T>(holder: ServiceContext, id: string, work: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding: Promise<void> | undefined;
  try {
    await new Promise<void>((locked, failed) => {
      holding = holder.services.db.transaction(async (tx) => {
        await tx.select({ id: content.id }).from(content).where(eq(content.id, id)).for('update');
        locked();
        await released;
      });
      holding.catch(failed);
    });
    return await work();
  } finally {
    release();
    await holding;
    await holder.services.dispose();
  }
}
