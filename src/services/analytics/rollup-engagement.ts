import { sql, type SQL } from 'drizzle-orm';
import { content, engagementDaily } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { addDays, utcDay } from './day-window.ts';
import { countsObject, engagementMetrics, type EngagementCounts, type EngagementMetric } from './engagement-counts.ts';

/** What the rollup writes into content.engagement_stats (documented on GET /api/v1/content/{id}/stats). */
export interface EngagementStats {
  totals: EngagementCounts;
  /** Today (UTC, as of rolledUpDay) and the 6 days before. */
  last7Days: EngagementCounts;
  /** Today and the 29 days before. */
  last30Days: EngagementCounts;
  byPlatform: Record<string, EngagementCounts>;
  rolledUpAt: string;
  rolledUpDay: string;
}

export interface RollupInput {
  /** Items recomputed per run; the rest (stalest first) are taken by the next tick. */
  limit?: number;
  /** The UTC day the 7/30-day windows end on; defaults to the current one. Tests move it to see windows slide. */
  now?: Date;
  /** Only this organization's items. The cron rolls up every tenant; tests use this to stay apart. */
  organizationId?: string;
}

export const ROLLUP_BATCH_LIMIT = 5000;

/** The windows of EngagementStats, in days ending on rolledUpDay. */
const SHORT_WINDOW_DAYS = 7;
const LONG_WINDOW_DAYS = 30;

/**
 * engagement_daily.updated_at is the upserting transaction's start time, which may be earlier than a
 * rollup that ran before that transaction committed. Rows are therefore compared with the last rollup
 * minus this margin (far above how long a batch's transaction takes): an item is recomputed for a few
 * ticks after a change, which costs little and never loses a late commit.
 */
const COMMIT_LAG_MARGIN = sql.raw(`interval '5 minutes'`);

const stats = sql`${content.engagementStats}`;
const rolledUpAt = sql`(${stats} ->> 'rolledUpAt')::timestamptz`;
const rolledUpDay = sql`(${stats} ->> 'rolledUpDay')::date`;

/**
 * Recomputes content.engagement_stats, set-based, for the items that need it: those whose daily rows
 * changed since their last rollup (or that were never rolled up), and those whose 7/30-day windows moved
 * because the UTC day changed and had engagement in their previous 30-day window. Every number is
 * recomputed from engagement_daily, so running twice writes the same stats.
 *
 * Engagement is not a content change: only engagement_stats is written (raw SQL, so drizzle's updatedAt
 * hook never fires) — version, updated_at, versions, audit and outbox stay as they are, and so do the
 * item's ETag and anyone's If-Match. Items being edited right now are skipped (SKIP LOCKED) and taken next tick.
 */
export async function rollupEngagement({
  ctx,
  input = {},
}: {
  ctx: ServiceContext;
  input?: RollupInput;
}): Promise<{ updated: number }> {
  const today = utcDay(input.now ?? new Date());
  const limit = input.limit ?? ROLLUP_BATCH_LIMIT;
  const d = engagementDaily;
  const inWindow = (days: number) => sql`${d.day} between ${addDays(today, -(days - 1))}::date and ${today}::date`;
  // Per item and platform, each counter over all time and over both windows: views, views_7, views_30, …
  const windowed = (metric: EngagementMetric, days: number) => sql.identifier(`${metric}_${days}`);
  const perPlatformColumns: SQL[] = engagementMetrics.flatMap((metric) => [
    sql`sum(${d[metric]}) as ${sql.identifier(metric)}`,
    ...[SHORT_WINDOW_DAYS, LONG_WINDOW_DAYS].map(
      (days) => sql`coalesce(sum(${d[metric]}) filter (where ${inWindow(days)}), 0) as ${windowed(metric, days)}`,
    ),
  ]);

  const result = await ctx.services.db.execute<{ id: string }>(sql`
    with candidates as (
      select ${content.id} as id
      from ${content}
      where ${input.organizationId ? sql`${content.organizationId} = ${input.organizationId}` : sql`true`}
        and exists (
          select 1 from ${d}
          where ${d.contentId} = ${content.id}
            and (
              ${d.updatedAt} > coalesce(${rolledUpAt} - ${COMMIT_LAG_MARGIN}, '-infinity')
              or (${rolledUpDay} < ${today}::date and ${d.day} >= ${rolledUpDay} - ${LONG_WINDOW_DAYS - 1}::int)
            )
        )
      order by ${rolledUpAt} asc nulls first, ${content.id}
      limit ${limit}
      for no key update of ${content} skip locked
    ),
    per_platform as (
      select ${d.contentId} as content_id, ${d.platform} as platform, ${sql.join(perPlatformColumns, sql`, `)}
      from ${d} join candidates on candidates.id = ${d.contentId}
      group by ${d.contentId}, ${d.platform}
    ),
    rolled_up as (
      select content_id, jsonb_build_object(
        'totals', ${countsObject((m) => sql`sum(${sql.identifier(m)})`)},
        'last7Days', ${countsObject((m) => sql`sum(${windowed(m, SHORT_WINDOW_DAYS)})`)},
        'last30Days', ${countsObject((m) => sql`sum(${windowed(m, LONG_WINDOW_DAYS)})`)},
        'byPlatform', jsonb_object_agg(platform, ${countsObject((m) => sql`${sql.identifier(m)}`)}),
        'rolledUpAt', to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'rolledUpDay', ${today}::text
      ) as stats
      from per_platform
      group by content_id
    )
    update ${content} set engagement_stats = rolled_up.stats
    from rolled_up
    where ${content.id} = rolled_up.content_id
    returning ${content.id} as id
  `);
  const updated = result.rows.length;
  ctx.logger.log(updated === limit ? 'warn' : 'info', 'engagement rollup', {
    day: today,
    updated,
    limit,
    organizationId: input.organizationId,
  });
  return { updated };
}
