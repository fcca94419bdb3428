import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { listVersions } from '../../../services/versions/list-versions.ts';
import { requirePermission, tenantContext } from '../../shared/guard.ts';
import { IdParamSchema, pageBody, paginated, PaginationQuerySchema } from '../../shared/params.ts';
import { problemResponses } from '../../shared/problem-schema.ts';
import { toVersionSummary, VersionSummarySchema } from './schemas.ts';

const VersionListSchema = paginated(VersionSummarySchema, 'ContentVersionList');

export const listContentVersionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/{id}/versions',
  operationId: 'listContentVersions',
  tags: ['Content'],
  summary: 'List versions of content',
  description:
    'Every change of the item as a version, newest first: number, action, author, message, and the title ' +
    'and status it had. The full snapshot is at GET /api/v1/content/{id}/versions/{n}. Requires ' +
    'content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { params: IdParamSchema, query: PaginationQuerySchema.strict() },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'A page of versions', content: { 'application/json': { schema: VersionListSchema } } },
  },
});

export function registerListContentVersions(app: OpenAPIHono<AppEnv>) {
  app.openapi(listContentVersionsRoute, async (c) => {
    const query = c.req.valid('query');
    const { item, items, total } = await listVersions({
      ctx: tenantContext(c),
      input: { ...c.req.valid('param'), ...query },
    });
    return c.json(
      pageBody(
        items.map((row) => toVersionSummary(item, row)),
        query,
        total,
      ),
      200,
    );
  });
}
