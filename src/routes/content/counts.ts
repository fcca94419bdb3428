import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { complianceStatuses, contentStatuses } from '../../db/schema/index.ts';
import { countContent } from '../../services/content/count-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';

const countsOf = <K extends string>(keys: readonly [K, ...K[]], description: string) =>
  z
    .object(Object.fromEntries(keys.map((k) => [k, z.number().int().min(0)])) as Record<K, z.ZodNumber>)
    .openapi({ description });

const ContentCountsSchema = z
  .object({
    total: z.number().int().min(0).openapi({ description: 'Every item, archived included.', example: 42 }),
    byStatus: countsOf(contentStatuses, 'Items per status, archived included; every status is present.'),
    byCompliance: countsOf(
      complianceStatuses,
      'Items that are not archived, per compliance status (what the content list shows with that filter).',
    ),
  })
  .openapi('ContentCounts');

export const countContentRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/counts',
  operationId: 'countContent',
  tags: ['Content'],
  summary: 'Count content by status and compliance',
  description:
    'How many of the organization\u2019s items are in each status and each compliance status, for ' +
    'dashboards. Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { query: z.object({}).strict() },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: { description: 'The counts', content: { 'application/json': { schema: ContentCountsSchema } } },
  },
});

export function registerCountContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(countContentRoute, async (c) => {
    const counts = await countContent({ ctx: tenantContext(c) });
    c.header('cache-control', 'private, no-cache');
    return c.json(counts, 200);
  });
}
