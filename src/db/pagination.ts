import { count, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from './executor.ts';

export interface PageRequest {
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * One page of whole rows and the total count, in parallel (two statements, one round trip each).
 * `orderBy` must end in a unique column so pages never overlap or skip.
 */
export async function selectPage<T extends PgTable>(
  db: Executor,
  table: T,
  where: SQL | undefined,
  orderBy: SQL[],
  page: PageRequest,
): Promise<Page<T['$inferSelect']>> {
  const [items, [totals]] = await Promise.all([
    db
      .select()
      .from(table as PgTable)
      .where(where)
      .orderBy(...orderBy)
      .limit(page.limit)
      .offset((page.page - 1) * page.limit),
    db
      .select({ total: count() })
      .from(table as PgTable)
      .where(where),
  ]);
  return { items: items as T['$inferSelect'][], total: totals?.total ?? 0 };
}

/** `%` and `_` in a search are literal characters, not patterns the caller can use to scan. */
export const likeContains = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;
