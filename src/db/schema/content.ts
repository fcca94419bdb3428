import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { complianceStatusEnum, contentStatusEnum, contentTypeEnum } from './enums.ts';
import { organizations } from './organizations.ts';
import { users } from './users.ts';

export const content = pgTable(
  'content',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    creatorId: uuid('creator_id').notNull(),
    type: contentTypeEnum('type').notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    body: text('body').notNull().default(''),
    platforms: text('platforms').array().notNull().default(sql`'{}'::text[]`),
    status: contentStatusEnum('status').notNull().default('draft'),
    qualityScore: numeric('quality_score', { precision: 4, scale: 2, mode: 'number' }),
    complianceStatus: complianceStatusEnum('compliance_status').notNull().default('pending'),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true, mode: 'date' }),
    publishedAt: timestamp('published_at', { withTimezone: true, mode: 'date' }),
    engagementStats: jsonb('engagement_stats').$type<Record<string, unknown>>().notNull().default({}),
    /** Optimistic-concurrency counter: the ETag of the item and the If-Match precondition. */
    version: integer('version').notNull().default(1),
    /**
     * The version readers see (content_versions), or null when nothing is live. The working copy may move
     * on (edited, resubmitted) while this keeps pointing at the last published snapshot.
     */
    publishedVersion: integer('published_version'),
    /** How quality_score was reached: one entry per criterion (src/services/quality). */
    qualityBreakdown: jsonb('quality_breakdown').$type<Record<string, unknown>>(),
    /** The reviewer's note, or which prohibited phrases flagged the content. */
    complianceNote: text('compliance_note'),
    /** The version that was approved and scheduled; a later edit means the schedule no longer holds. */
    scheduledVersion: integer('scheduled_version'),
    /** Why the last scheduled publication did not happen; cleared by the next schedule. */
    scheduleError: text('schedule_error'),
    scheduleFailedAt: timestamp('schedule_failed_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    foreignKey({
      name: 'content_creator_same_organization_fk',
      columns: [t.creatorId, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }).onDelete('restrict'),
    check('content_title_length', sql`char_length(${t.title}) between 1 and 200`),
    check('content_quality_score_range', sql`${t.qualityScore} is null or ${t.qualityScore} between 0 and 10`),
    check('content_version_positive', sql`${t.version} >= 1`),
    // The list filters of the management API: status within a tenant, newest first, platform membership.
    index('content_organization_status_idx').on(t.organizationId, t.status),
    index('content_organization_created_at_idx').on(t.organizationId, t.createdAt.desc()),
    index('content_platforms_gin_idx').using('gin', t.platforms),
    index('content_creator_idx').on(t.creatorId),
    // The delivery API's list: an organization's live items, newest publication first (keyset cursor).
    index('content_delivery_list_idx')
      .on(t.organizationId, t.publishedAt.desc(), t.id.desc())
      .where(sql`${t.publishedVersion} is not null`),
    // The scheduler's catch-up query: scheduled items that have not failed, whatever their status (an item
    // edited after scheduling must still be found, to fail visibly).
    index('content_schedule_due_idx')
      .on(t.scheduledAt, t.id)
      .where(sql`${t.scheduledAt} is not null and ${t.scheduleFailedAt} is null`),
  ],
);

export type Content = typeof content.$inferSelect;
export type NewContent = typeof content.$inferInsert;
