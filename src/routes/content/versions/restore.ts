import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { restoreVersion } from '../../../services/versions/restore-version.ts';
import { requirePermission, tenantContext } from '../../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../../shared/params.ts';
import { problemResponses } from '../../shared/problem-schema.ts';
import { etagOf, ifMatchPrecondition } from '../../shared/conditional.ts';
import { ContentSchema, ETagHeaderSchema, IfMatchHeaderSchema, toContentResource } from '../schemas.ts';
import { RestoreVersionBodySchema, VersionParamsSchema } from './schemas.ts';

export const restoreContentVersionRoute = createRoute({
  method: 'post',
  path: '/api/v1/content/{id}/versions/{n}/restore',
  operationId: 'restoreContentVersion',
  tags: ['Content'],
  summary: 'Restore a version of content',
  description: [
    'Writes a new version whose type, title, body and platforms are those of version n; no version is changed or removed.',
    'Like an edit: allowed to the owner or an editor (content.update, or content.update_own for ' +
      'one\u2019s own item), the text is re-scored and compliance reset, and the item goes back to draft; ' +
      'a published version stays live until a new one is published.',
    'Audited as content.version_restore with the message "restored from version n" (and yours, if sent). ' +
      'Unknown version 404, archived item 409, If-Match mismatch 412.',
    'The body is optional. Send Idempotency-Key to retry safely.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.update', 'content.update_own')] as const,
  request: {
    params: VersionParamsSchema,
    headers: IdempotencyHeaderSchema.extend(IfMatchHeaderSchema.shape),
    body: { required: false, content: { 'application/json': { schema: RestoreVersionBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 422, 429),
    200: {
      description: 'The item, at its new version',
      headers: z.object({ ETag: ETagHeaderSchema }),
      content: { 'application/json': { schema: ContentSchema } },
    },
  },
});

export function registerRestoreContentVersion(app: OpenAPIHono<AppEnv>) {
  app.openapi(restoreContentVersionRoute, async (c) => {
    const { id, n } = c.req.valid('param');
    const ifMatch = ifMatchPrecondition(c.req.valid('header')['if-match']);
    const item = await restoreVersion({
      ctx: tenantContext(c),
      input: { id, version: n, message: c.req.valid('json').message, ifMatch },
    });
    c.header('etag', etagOf(item.version));
    return c.json(toContentResource(item), 200);
  });
}
