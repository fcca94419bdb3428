import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { content } from './content.ts';
import { organizations } from './organizations.ts';

/**
 * Every create, update, workflow action and restore of a content item, as a full snapshot, written in the
 * same transaction as the change. `version` matches content.version after that change.
 */
export const contentVersions = pgTable(
  'content_versions',
  {
    contentId: uuid('content_id')
      .notNull()
      .references(() => content.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    /** The action that produced it: content.create, content.update, content.approve, … */
    action: text('action').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    authorType: text('author_type').notNull(),
    authorId: uuid('author_id'),
    message: text('message'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'content_versions_pkey', columns: [t.contentId, t.version] }),
    index('content_versions_organization_idx').on(t.organizationId, t.contentId),
  ],
);

export type ContentVersion = typeof contentVersions.$inferSelect;
