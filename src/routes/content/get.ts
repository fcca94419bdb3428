import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getContent } from '../../services/content/get-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { etagOf, ifNoneMatchMatches } from '../shared/conditional.ts';
import { ContentSchema, ETagHeaderSchema, IfNoneMatchHeaderSchema, toContentResource } from './schemas.ts';

export const getContentRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/{id}',
  operationId: 'getContent',
  tags: ['Content'],
  summary: 'Get content',
  description:
    'One item, with its version as a strong ETag. Send If-None-Match with the ETag you hold to get 304 (no body) while it is unchanged. ' +
    'Another organization\u2019s id is 404. Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { params: IdParamSchema, headers: IfNoneMatchHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: {
      description: 'The item',
      headers: z.object({ ETag: ETagHeaderSchema }),
      content: { 'application/json': { schema: ContentSchema } },
    },
    304: { description: 'Unchanged since the ETag in If-None-Match', headers: z.object({ ETag: ETagHeaderSchema }) },
  },
});

export function registerGetContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(getContentRoute, async (c) => {
    const item = await getContent({ ctx: tenantContext(c), input: c.req.valid('param') });
    c.header('etag', etagOf(item.version));
    // Per-user data: caches may keep it only for this client, and must revalidate (cheap, thanks to the ETag).
    c.header('cache-control', 'private, no-cache');
    if (ifNoneMatchMatches(c.req.valid('header')['if-none-match'], item.version)) return c.body(null, 304);
    return c.json(toContentResource(item), 200);
  });
}
