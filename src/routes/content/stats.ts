import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getContentStats } from '../../services/analytics/get-content-stats.ts';
import {
  DayWindowQuerySchema,
  DayWindowSchema,
  EngagementCountsSchema,
  EngagementStatsSchema,
} from '../analytics/schemas.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';

const ContentStatsSchema = z
  .object({
    contentId: z.uuid(),
    ...DayWindowSchema,
    engagementStats: EngagementStatsSchema.nullable().openapi({
      description:
        'The rolled-up stats (all time, whatever the window); null until the first rollup after the item\u2019s first event.',
    }),
    series: z
      .array(EngagementCountsSchema.extend({ day: z.iso.date(), platform: z.string().openapi({ example: 'web' }) }))
      .openapi({
        description:
          'Counts per UTC day and platform in the window, by day then platform; days without events are absent.',
      }),
  })
  .openapi('ContentStats');

export const getContentStatsRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/{id}/stats',
  operationId: 'getContentStats',
  tags: ['Analytics'],
  summary: 'Engagement of one item',
  description:
    'The item\u2019s rolled-up engagement and its daily counts in a window of UTC days (default the last ' +
    '30). Archived and unpublished items keep their history. Another organization\u2019s id is 404. ' +
    'Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { params: IdParamSchema, query: DayWindowQuerySchema.strict() },
  responses: {
    ...problemResponses(400, 401, 403, 404, 422, 429),
    200: { description: 'The item\u2019s engagement', content: { 'application/json': { schema: ContentStatsSchema } } },
  },
});

export function registerGetContentStats(app: OpenAPIHono<AppEnv>) {
  app.openapi(getContentStatsRoute, async (c) => {
    const { id } = c.req.valid('param');
    const stats = await getContentStats({ ctx: tenantContext(c), input: { id, ...c.req.valid('query') } });
    // Before the first rollup the column holds {}; anything not in the documented shape is not shown as if it were.
    const rolledUp = EngagementStatsSchema.safeParse(stats.engagementStats);
    c.header('cache-control', 'private, no-cache');
    return c.json(
      {
        contentId: id,
        ...stats.window,
        engagementStats: rolledUp.success ? rolledUp.data : null,
        series: stats.series,
      },
      200,
    );
  });
}
