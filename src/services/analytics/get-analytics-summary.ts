import { and, asc, between, desc, eq, inArray, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { content, engagementDaily, engagementDropped } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { resolveDayWindow, type DayWindow } from './day-window.ts';
import { engagementMetrics, sumOf, type EngagementCounts } from './engagement-counts.ts';
import { engagementIn } from './engagement-filter.ts';
import { dropReasons } from './tally-engagement.ts';

export interface AnalyticsSummaryInput {
  from?: string | undefined;
  to?: string | undefined;
  platform?: string | undefined;
  /** How many items `top` lists. */
  limit: number;
}

export interface TopContent extends EngagementCounts {
  id: string;
  title: string;
  byPlatform: Record<string, EngagementCounts>;
}

export interface AnalyticsSummary {
  window: DayWindow;
  top: TopContent[];
  platforms: Array<EngagementCounts & { platform: string }>;
  /** Events not counted, by reason; every known reason is present (0 when none). */
  dropped: Record<string, number>;
}

const d = engagementDaily;
const summed = Object.fromEntries(engagementMetrics.map((metric) => [metric, sumOf(d[metric])])) as {
  [M in keyof EngagementCounts]: ReturnType<typeof sumOf>;
};

/**
 * The organization's engagement in a window: its items ranked by views (ties by id, so pages of equal
 * items are stable), totals per platform, and what was dropped. Dropped events have no trustworthy
 * platform, so `dropped` ignores the platform filter.
 */
export async function getAnalyticsSummary({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: AnalyticsSummaryInput;
}): Promise<AnalyticsSummary> {
  assertCan(ctx.actor, 'content.read');
  const window = resolveDayWindow(input);
  const { db } = ctx.services;
  const where = engagementIn(ctx.organizationId, window, input.platform);

  const [top, platforms, droppedRows] = await Promise.all([
    db
      .select({ id: content.id, title: content.title, ...summed })
      .from(d)
      // The join repeats the tenant condition: a daily row can only point at its own organization's item.
      .innerJoin(content, and(eq(content.id, d.contentId), eq(content.organizationId, ctx.organizationId)))
      .where(where)
      .groupBy(content.id, content.title)
      .orderBy(desc(summed.views), asc(content.id))
      .limit(input.limit),
    db
      .select({ platform: d.platform, ...summed })
      .from(d)
      .where(where)
      .groupBy(d.platform)
      .orderBy(desc(summed.views), asc(d.platform)),
    db
      .select({ reason: engagementDropped.reason, count: sumOf(engagementDropped.count) })
      .from(engagementDropped)
      .where(
        and(
          eq(engagementDropped.organizationId, ctx.organizationId),
          between(engagementDropped.day, window.from, window.to),
        ),
      )
      .groupBy(engagementDropped.reason),
  ]);

  const byPlatform = await perPlatformOf(
    ctx,
    where,
    top.map((item) => item.id),
  );
  const dropped: Record<string, number> = Object.fromEntries(dropReasons.map((reason) => [reason, 0]));
  for (const row of droppedRows) dropped[row.reason] = row.count;
  return {
    window,
    top: top.map((item) => ({ ...item, byPlatform: byPlatform.get(item.id) ?? {} })),
    platforms,
    dropped,
  };
}

/** The per-platform split of the ranked items, in one query. */
async function perPlatformOf(
  ctx: TenantContext,
  where: SQL | undefined,
  ids: string[],
): Promise<Map<string, Record<string, EngagementCounts>>> {
  const split = new Map<string, Record<string, EngagementCounts>>();
  if (ids.length === 0) return split;
  const rows = await ctx.services.db
    .select({ contentId: d.contentId, platform: d.platform, ...summed })
    .from(d)
    .where(and(where, inArray(d.contentId, ids)))
    .groupBy(d.contentId, d.platform)
    .orderBy(asc(d.platform));
  for (const { contentId, platform, ...counts } of rows) {
    const item = split.get(contentId) ?? {};
    item[platform] = counts;
    split.set(contentId, item);
  }
  return split;
}
