import { z } from '@hono/zod-openapi';
import { DEFAULT_WINDOW_DAYS, MAX_WINDOW_DAYS } from '../../services/analytics/day-window.ts';
import { PLATFORM_SLUG } from '../content/schemas.ts';
import { DAY_BOUNDS, daySchema } from '../../lib/date-time.ts';

const count = (description: string) => z.number().int().min(0).openapi({ description });

export const EngagementCountsSchema = z
  .object({
    views: count('`view` events'),
    clicks: count('`click` events'),
    shares: count('`share` events'),
    likes: count('`like` events'),
  })
  .openapi('EngagementCounts', { example: { views: 1520, clicks: 212, shares: 31, likes: 87 } });

const day = (description: string) => z.iso.date().openapi({ description, example: '2026-03-01' });

/** The rollup's shape (src/services/analytics/rollup-engagement.ts), as content.engagement_stats holds it. */
export const EngagementStatsSchema = z
  .object({
    totals: EngagementCountsSchema.openapi({ description: 'Every counted event since the item was first read.' }),
    last7Days: EngagementCountsSchema.openapi({ description: 'rolledUpDay and the 6 days before it (UTC).' }),
    last30Days: EngagementCountsSchema.openapi({ description: 'rolledUpDay and the 29 days before it (UTC).' }),
    byPlatform: z
      .record(z.string(), EngagementCountsSchema)
      .openapi({ description: 'All-time counts per platform slug.' }),
    rolledUpAt: z
      .string()
      .openapi({ format: 'date-time', description: 'When the every-minute rollup last recomputed these numbers.' }),
    rolledUpDay: day('The UTC day the 7- and 30-day windows end on.'),
  })
  .openapi('EngagementStats', {
    description:
      'Engagement rolled up from the daily counts by the every-minute cron, within a minute or two of the ' +
      'events arriving. Not part of the versioned content: it never changes the item\u2019s version or ' +
      'ETag.',
  });

const dayParam = (description: string) =>
  daySchema()
    .optional()
    .openapi({ description: `${description} ${DAY_BOUNDS}`, example: '2026-03-01' });

/** `from`/`to`/`platform` of the analytics reads; the rules (defaults, order, length) are the service's. */
export const DayWindowQuerySchema = z.object({
  from: dayParam(`First day (UTC, inclusive). Default: ${DEFAULT_WINDOW_DAYS - 1} days before \`to\`.`),
  to: dayParam(
    `Last day (UTC, inclusive). Default: today. \`from\` after \`to\` is 422 invalid_time_range; more than ${MAX_WINDOW_DAYS} days is 422 time_range_too_long.`,
  ),
  platform: z
    .string()
    .regex(PLATFORM_SLUG)
    .optional()
    .openapi({ description: 'Only this platform\u2019s events.', example: 'web' }),
});

export const DayWindowSchema = {
  from: day('First day of the window (UTC, inclusive).'),
  to: day('Last day of the window (UTC, inclusive).'),
};
