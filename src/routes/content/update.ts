import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateContent } from '../../services/content/update-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { etagOf, ifMatchPrecondition } from '../shared/conditional.ts';
import {
  ContentSchema,
  ETagHeaderSchema,
  IfMatchHeaderSchema,
  toContentResource,
  UpdateContentBodySchema,
} from './schemas.ts';
import { refuseContentServerOwnedFields } from './server-owned-fields.ts';

export const updateContentRoute = createRoute({
  method: 'put',
  path: '/api/v1/content/{id}',
  operationId: 'updateContent',
  tags: ['Content'],
  summary: 'Update content',
  description: [
    'Changes any of type, title, body, platforms and scheduledAt (null clears the schedule); fields left out keep their value. An empty body is 400.',
    'Allowed to the owner or an editor: content.update edits any item, content.update_own only the caller\u2019s own (403 otherwise).',
    'Send If-Match with the ETag you read to avoid overwriting someone else\u2019s change (412 if the ' +
      'item moved on); without If-Match the change applies to the current version.',
    'Archived content is 409. Server-owned fields are 400; an empty platform list or a past scheduledAt is 422.',
    'Every success is a new version (ETag) and an audit entry (content.update) with the changed fields.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  // "Owner or editor": the guard admits roles that may edit some content; the service decides ownership.
  middleware: [requirePermission('content.update', 'content.update_own'), refuseContentServerOwnedFields] as const,
  request: {
    params: IdParamSchema,
    headers: IfMatchHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateContentBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 412, 413, 422, 429),
    200: {
      description: 'The updated item',
      headers: z.object({ ETag: ETagHeaderSchema }),
      content: { 'application/json': { schema: ContentSchema } },
    },
  },
});

export function registerUpdateContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateContentRoute, async (c) => {
    const { scheduledAt, ...fields } = c.req.valid('json');
    const changes = {
      ...fields,
      ...(scheduledAt !== undefined ? { scheduledAt: scheduledAt === null ? null : new Date(scheduledAt) } : {}),
    };
    const ifMatch = ifMatchPrecondition(c.req.valid('header')['if-match']);
    const item = await updateContent({ ctx: tenantContext(c), input: { ...c.req.valid('param'), changes, ifMatch } });
    c.header('etag', etagOf(item.version));
    return c.json(toContentResource(item), 200);
  });
}
