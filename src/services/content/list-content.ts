import { and, arrayContains, asc, count, desc, eq, gte, lt, ne, sql, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import {
  content,
  type ComplianceStatus,
  type Content,
  type ContentStatus,
  type ContentType,
} from '../../db/schema/index.ts';
import { endOfMillisecond } from '../../lib/time-range.ts';
import type { TenantContext } from '../container.ts';

export const contentSortFields = ['created_at', 'updated_at', 'title', 'scheduled_at'] as const;
export type ContentSortField = (typeof contentSortFields)[number];

export interface ListContentInput {
  page: number;
  limit: number;
  /** Without it archived items are left out: archiving is the API's delete. */
  status?: ContentStatus | undefined;
  /** Items whose platforms include this one. */
  platform?: string | undefined;
  type?: ContentType | undefined;
  creator?: string | undefined;
  compliance?: ComplianceStatus | undefined;
  /** Last changed at or after this instant. */
  updatedFrom?: Date | undefined;
  /** Last changed at or before this instant (inclusive). */
  updatedTo?: Date | undefined;
  sort: ContentSortField;
  order: 'asc' | 'desc';
}

// Titles sort case-insensitively whatever the database collation: people read "alpha" among the A's.
const sortColumns = {
  created_at: content.createdAt,
  updated_at: content.updatedAt,
  title: sql`lower(${content.title})`,
  scheduled_at: content.scheduledAt,
};

/**
 * The page, then the total. The total is its own count(*), not count(*) over () on the page query: a
 * window count makes PostgreSQL read every matching row in full to return a page (314 ms for 55k of
 * 100k items, docs/performance.md), while a plain count runs on the (organization_id, status) index.
 * A first page that is not full is its own total and costs no count.
 */
export async function listContent({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListContentInput;
}): Promise<{ items: Content[]; total: number }> {
  assertCan(ctx.actor, 'content.read');
  // Inclusive to the millisecond shown, though stored to the microsecond (src/lib/time-range.ts).
  const updatedBefore = input.updatedTo && endOfMillisecond(input.updatedTo);
  const filters: (SQL | undefined)[] = [
    eq(content.organizationId, ctx.organizationId),
    input.status ? eq(content.status, input.status) : ne(content.status, 'archived'),
    input.platform ? arrayContains(content.platforms, [input.platform]) : undefined,
    input.type ? eq(content.type, input.type) : undefined,
    input.creator ? eq(content.creatorId, input.creator) : undefined,
    input.compliance ? eq(content.complianceStatus, input.compliance) : undefined,
    input.updatedFrom ? gte(content.updatedAt, input.updatedFrom) : undefined,
    updatedBefore ? lt(content.updatedAt, updatedBefore) : undefined,
  ];
  const where = and(...filters);
  const direction = input.order === 'asc' ? asc : desc;
  // Unscheduled items go last in both directions; id breaks ties so pages never overlap or skip.
  const primary = sql`${sortColumns[input.sort]} ${sql.raw(input.order)} nulls last`;
  const { db } = ctx.services;
  const items = await db
    .select()
    .from(content)
    .where(where)
    .orderBy(primary, direction(content.id))
    .limit(input.limit)
    .offset((input.page - 1) * input.limit);
  if (input.page === 1 && items.length < input.limit) return { items, total: items.length };
  const [totals] = await db.select({ total: count() }).from(content).where(where);
  return { items, total: totals?.total ?? 0 };
}
