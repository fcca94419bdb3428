import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { archiveContent } from '../../services/content/archive-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { etagOf, ifMatchPrecondition } from '../shared/conditional.ts';
import { ETagHeaderSchema, IfMatchHeaderSchema } from './schemas.ts';

export const deleteContentRoute = createRoute({
  method: 'delete',
  path: '/api/v1/content/{id}',
  operationId: 'archiveContent',
  tags: ['Content'],
  summary: 'Archive content',
  description: [
    'Archives the item (status archived, a new version, audit entry content.archive); nothing is erased. Requires content.archive.',
    'Idempotent: archiving an archived item is 204 again and creates no new version, whatever If-Match says.',
    'Otherwise If-Match, when sent, must match the current ETag (412).',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.archive')] as const,
  request: { params: IdParamSchema, headers: IfMatchHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 412, 429),
    204: { description: 'Archived (now or before)', headers: z.object({ ETag: ETagHeaderSchema }) },
  },
});

export function registerDeleteContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(deleteContentRoute, async (c) => {
    const ifMatch = ifMatchPrecondition(c.req.valid('header')['if-match']);
    const { item } = await archiveContent({ ctx: tenantContext(c), input: { ...c.req.valid('param'), ifMatch } });
    c.header('etag', etagOf(item.version));
    return c.body(null, 204);
  });
}
