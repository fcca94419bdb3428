import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { engagementEventTypes, type EngagementEventType } from '../../db/schema/engagement.ts';

/** The four counters of engagement_daily, in one order everywhere (columns, JSON, API). */
export const engagementMetrics = ['views', 'clicks', 'shares', 'likes'] as const;
export type EngagementMetric = (typeof engagementMetrics)[number];
export type EngagementCounts = Record<EngagementMetric, number>;

/** Which counter an event adds to: a `view` is counted in `views`, and so on. */
export const metricOf: Readonly<Record<EngagementEventType, EngagementMetric>> = Object.fromEntries(
  engagementEventTypes.map((type) => [type, `${type}s` as EngagementMetric]),
) as Record<EngagementEventType, EngagementMetric>;

export const zeroCounts = (): EngagementCounts => ({ views: 0, clicks: 0, shares: 0, likes: 0 });

/**
 * `jsonb_build_object('views', <views>, 'clicks', …)` for an expression per metric: the rollup and the
 * analytics queries build the same counts object, so its keys cannot drift from EngagementCounts.
 */
export function countsObject(expression: (metric: EngagementMetric) => SQL): SQL {
  return sql`jsonb_build_object(${sql.join(
    engagementMetrics.map((metric) => sql`${sql.raw(`'${metric}'`)}, ${expression(metric)}`),
    sql`, `,
  )})`;
}

/** Sums over bigint come back from the driver as strings; counts in a window fit a JS number. */
export const sumOf = (column: SQLWrapper) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
