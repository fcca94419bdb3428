import { and, asc, eq, gte, isNotNull, isNull, lt, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { content, type Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { stillScheduled } from './schedule-predicates.ts';
import { assertTimeRange, endOfMillisecond } from '../../lib/time-range.ts';

export interface ListScheduleInput {
  from: Date | undefined;
  to: Date | undefined;
  /** Per list. */
  limit: number;
}

export interface Schedule {
  /** Will be tried when due (an item changed since scheduling is listed here too, and fails then). */
  upcoming: Content[];
  /** Tried and not published; the reason is on the item. Not retried until scheduled again. */
  failed: Content[];
}

/** Both lists in due order; the window applies to scheduledAt, `to` inclusive to the millisecond like the audit log's. */
export async function listSchedule({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListScheduleInput;
}): Promise<Schedule> {
  assertCan(ctx.actor, 'content.read');
  assertTimeRange(input.from, input.to);
  const end = input.to && endOfMillisecond(input.to);
  const inWindow = and(
    eq(content.organizationId, ctx.organizationId),
    stillScheduled(),
    input.from ? gte(content.scheduledAt, input.from) : undefined,
    end ? lt(content.scheduledAt, end) : undefined,
  );
  const list = (state: SQL) =>
    ctx.services.db
      .select()
      .from(content)
      .where(and(inWindow, state))
      .orderBy(asc(content.scheduledAt), asc(content.id))
      .limit(input.limit);
  const [upcoming, failed] = await Promise.all([
    list(isNull(content.scheduleFailedAt)),
    list(isNotNull(content.scheduleFailedAt)),
  ]);
  return { upcoming, failed };
}
