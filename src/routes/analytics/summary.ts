import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getAnalyticsSummary } from '../../services/analytics/get-analytics-summary.ts';
import { dropReasons } from '../../services/analytics/tally-engagement.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DayWindowQuerySchema, DayWindowSchema, EngagementCountsSchema } from './schemas.ts';

const SummaryQuerySchema = DayWindowQuerySchema.extend({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .openapi({ description: 'How many items `top` lists (1–100).', example: 10 }),
}).strict();

const AnalyticsSummarySchema = z
  .object({
    ...DayWindowSchema,
    platform: z.string().nullable().openapi({ description: 'The platform filter, or null for all platforms.' }),
    top: z
      .array(
        EngagementCountsSchema.extend({
          id: z.uuid(),
          title: z.string().openapi({ example: 'Morning briefing: yields edge higher ahead of CPI' }),
          byPlatform: z
            .record(z.string(), EngagementCountsSchema)
            .openapi({ description: 'The same counts split by platform.' }),
        }),
      )
      .openapi({
        description: 'The organization\u2019s items with engagement in the window, most viewed first (ties by id).',
      }),
    platforms: z
      .array(EngagementCountsSchema.extend({ platform: z.string() }))
      .openapi({ description: 'Totals per platform in the window, most viewed first.' }),
    dropped: z.record(z.string(), z.number().int()).openapi({
      description:
        `Events received but not counted, by reason (${dropReasons.join(', ')}), whatever the platform ` +
        `filter: their content was unknown to the organization, or not published.`,
      example: { unknown_content: 3, not_published: 0 },
    }),
  })
  .openapi('AnalyticsSummary');

export const analyticsSummaryRoute = createRoute({
  method: 'get',
  path: '/api/v1/analytics/summary',
  operationId: 'getAnalyticsSummary',
  tags: ['Analytics'],
  summary: 'Engagement summary',
  description:
    'Reader engagement of the organization\u2019s content in a window of UTC days (default the last 30): ' +
    'the top items by views, totals per platform, and dropped events. Counts arrive through the delivery ' +
    'API\u2019s events endpoint and are counted within seconds. Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { query: SummaryQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 422, 429),
    200: { description: 'The summary', content: { 'application/json': { schema: AnalyticsSummarySchema } } },
  },
});

export function registerAnalyticsSummary(app: OpenAPIHono<AppEnv>) {
  app.openapi(analyticsSummaryRoute, async (c) => {
    const query = c.req.valid('query');
    const { window, ...summary } = await getAnalyticsSummary({ ctx: tenantContext(c), input: query });
    return c.json({ ...window, platform: query.platform ?? null, ...summary }, 200);
  });
}
