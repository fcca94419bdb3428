import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { content } from './content.ts';
import { organizations } from './organizations.ts';

/** What a reader can do to an item, as the delivery API's events endpoint accepts them. */
export const engagementEventTypes = ['view', 'click', 'share', 'like'] as const;
export type EngagementEventType = (typeof engagementEventTypes)[number];

/**
 * Engagement per item, UTC day and platform, added to by the queue consumer (one transaction per batch,
 * deduplicated by batch id in processed_events). The cron rolls it up into content.engagement_stats.
 */
export const engagementDaily = pgTable(
  'engagement_daily',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    contentId: uuid('content_id')
      .notNull()
      .references(() => content.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    platform: text('platform').notNull(),
    views: integer('views').notNull().default(0),
    clicks: integer('clicks').notNull().default(0),
    shares: integer('shares').notNull().default(0),
    likes: integer('likes').notNull().default(0),
    /** When counts last changed: the rollup recomputes items changed since it last ran. */
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'engagement_daily_pkey', columns: [t.contentId, t.day, t.platform] }),
    // The analytics summary: one organization's days, across items.
    index('engagement_daily_organization_day_idx').on(t.organizationId, t.day),
    index('engagement_daily_updated_at_idx').on(t.updatedAt),
    check(
      'engagement_daily_counts_non_negative',
      sql`${t.views} >= 0 and ${t.clicks} >= 0 and ${t.shares} >= 0 and ${t.likes} >= 0`,
    ),
  ],
);

/**
 * Events the consumer did not count (unknown content, content not published, another organization's
 * content), per organization, day and reason: dropped, but visible in the analytics summary.
 */
export const engagementDropped = pgTable(
  'engagement_dropped',
  {
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    day: date('day', { mode: 'string' }).notNull(),
    reason: text('reason').notNull(),
    count: integer('count').notNull().default(0),
  },
  (t) => [primaryKey({ name: 'engagement_dropped_pkey', columns: [t.organizationId, t.day, t.reason] })],
);

export type EngagementDaily = typeof engagementDaily.$inferSelect;
