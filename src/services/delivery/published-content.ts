import { and, desc, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Executor } from '../../db/executor.ts';
import { content, contentTypes, contentVersions } from '../../db/schema/index.ts';
import type { ListCursor } from './list-cursor.ts';

/** What readers get: the snapshot at content.published_version, never the working copy. */
export const publishedItemSchema = z.object({
  id: z.uuid(),
  type: z.enum(contentTypes),
  title: z.string(),
  body: z.string(),
  platforms: z.array(z.string()),
  publishedAt: z.string(),
  version: z.number().int(),
});
export type PublishedItem = z.infer<typeof publishedItemSchema>;

/** List entries leave the body out: a page of 100 full bodies could weigh megabytes (ADR 0017). */
export const publishedSummarySchema = publishedItemSchema.omit({ body: true });
export type PublishedSummary = z.infer<typeof publishedSummarySchema>;

export interface PublishedListQuery {
  type?: (typeof contentTypes)[number] | undefined;
  platform?: string | undefined;
  limit: number;
  after?: ListCursor | undefined;
}

export interface PublishedPage {
  data: PublishedSummary[];
  /** The last row's sort key when more rows follow. */
  next: ListCursor | null;
}

const snapshotFields = z.object({
  type: z.enum(contentTypes),
  title: z.string(),
  body: z.string(),
  platforms: z.array(z.string()),
});

// Microsecond precision in UTC: a cursor must compare equal to the row it came from.
const publishedAtText = sql<string>`to_char(${content.publishedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const live = (organizationId: string) =>
  and(eq(content.organizationId, organizationId), isNotNull(content.publishedVersion));

function selectPublished(db: Executor, where: SQL | undefined) {
  return db
    .select({
      id: content.id,
      publishedAt: publishedAtText,
      version: contentVersions.version,
      snapshot: contentVersions.snapshot,
    })
    .from(content)
    .innerJoin(
      contentVersions,
      and(eq(contentVersions.contentId, content.id), eq(contentVersions.version, content.publishedVersion)),
    )
    .where(where);
}

function toPublishedItem(row: {
  id: string;
  publishedAt: string;
  version: number;
  snapshot: Record<string, unknown>;
}): PublishedItem {
  const fields = snapshotFields.parse(row.snapshot);
  return { id: row.id, ...fields, publishedAt: row.publishedAt, version: row.version };
}

export async function findPublishedItem(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<PublishedItem | undefined> {
  const [row] = await selectPublished(db, and(live(organizationId), eq(content.id, id))).limit(1);
  return row ? toPublishedItem(row) : undefined;
}

/** Newest publication first, keyset-paginated on (published_at, id) so pages never skip or repeat. */
export async function listPublishedItems(
  db: Executor,
  organizationId: string,
  query: PublishedListQuery,
): Promise<PublishedPage> {
  const rows = await selectPublished(
    db,
    and(
      live(organizationId),
      // Filters apply to the published snapshot: a draft edit of the type or platforms is not live yet.
      query.type ? sql`${contentVersions.snapshot} ->> 'type' = ${query.type}` : undefined,
      query.platform
        ? sql`${contentVersions.snapshot} -> 'platforms' @> jsonb_build_array(${query.platform}::text)`
        : undefined,
      query.after
        ? sql`(${content.publishedAt}, ${content.id}) < (${query.after.publishedAt}::timestamptz, ${query.after.id}::uuid)`
        : undefined,
    ),
  )
    .orderBy(desc(content.publishedAt), desc(content.id))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map(toPublishedItem);
  const last = items.at(-1);
  return {
    data: items.map(({ body: _body, ...summary }) => summary),
    next: rows.length > query.limit && last ? { publishedAt: last.publishedAt, id: last.id } : null,
  };
}
