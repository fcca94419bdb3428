import { and, asc, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { engagementDaily } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { findContent } from '../content/get-content.ts';
import { resolveDayWindow, type DayWindow } from './day-window.ts';
import type { EngagementCounts } from './engagement-counts.ts';
import { engagementIn } from './engagement-filter.ts';

export interface ContentStatsInput {
  id: string;
  from?: string | undefined;
  to?: string | undefined;
  platform?: string | undefined;
}

export interface DailyEngagement extends EngagementCounts {
  day: string;
  platform: string;
}

export interface ContentStats {
  window: DayWindow;
  /** content.engagement_stats as the rollup last wrote it ({} before the first rollup). */
  engagementStats: Record<string, unknown>;
  series: DailyEngagement[];
}

/**
 * The item's rolled-up stats and its daily rows in the window. Any state counts, archived or unpublished
 * included: the history stays readable. Another organization's item is a 404 like an unknown id.
 */
export async function getContentStats({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ContentStatsInput;
}): Promise<ContentStats> {
  assertCan(ctx.actor, 'content.read');
  const window = resolveDayWindow(input);
  const { db } = ctx.services;
  const item = await findContent(db, ctx, input.id);
  const d = engagementDaily;
  const series = await db
    .select({ day: d.day, platform: d.platform, views: d.views, clicks: d.clicks, shares: d.shares, likes: d.likes })
    .from(d)
    .where(and(eq(d.contentId, item.id), engagementIn(ctx.organizationId, window, input.platform)))
    .orderBy(asc(d.day), asc(d.platform));
  return { window, engagementStats: item.engagementStats, series };
}
