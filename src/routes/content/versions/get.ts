import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { getVersion } from '../../../services/versions/get-version.ts';
import { requirePermission, tenantContext } from '../../shared/guard.ts';
import { problemResponses } from '../../shared/problem-schema.ts';
import { toVersionResource, VersionParamsSchema, VersionSchema } from './schemas.ts';

export const getContentVersionRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/{id}/versions/{n}',
  operationId: 'getContentVersion',
  tags: ['Content'],
  summary: 'Get a version of content',
  description:
    'The full snapshot of the item after change n, with who made it and why. An unknown version is 404 (code version_not_found). Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { params: VersionParamsSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The version', content: { 'application/json': { schema: VersionSchema } } },
  },
});

export function registerGetContentVersion(app: OpenAPIHono<AppEnv>) {
  app.openapi(getContentVersionRoute, async (c) => {
    const { id, n } = c.req.valid('param');
    const { item, version } = await getVersion({ ctx: tenantContext(c), input: { id, version: n } });
    return c.json(toVersionResource(item, version), 200);
  });
}
