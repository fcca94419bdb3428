import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { principalRateLimit } from '../../middleware/rate-limit.ts';
import { createContent } from '../../services/content/create-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { etagOf } from '../shared/conditional.ts';
import { ContentSchema, CreateContentBodySchema, ETagHeaderSchema, toContentResource } from './schemas.ts';
import { refuseContentServerOwnedFields } from './server-owned-fields.ts';

export const createContentRoute = createRoute({
  method: 'post',
  path: '/api/v1/content',
  operationId: 'createContent',
  tags: ['Content'],
  summary: 'Create content',
  description: [
    'Creates a draft owned by the caller (for an API key, the user who created the key). Requires content.create.',
    'Status, ids, owner, scores, stats, version and timestamps are set by the server: sending any of ' +
      'them, in camelCase or snake_case, is 400 naming the field.',
    '422 for an empty platform list, a scheduledAt in the past, or a super_admin creating in an organization it does not belong to.',
    'Limited to 100 creates per hour per user or API key (policy "content-create"). Send Idempotency-Key to retry safely.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('content.create'),
    principalRateLimit('content-create', (c) => c.get('config').rateLimits.contentCreatePerHour, 3600),
    refuseContentServerOwnedFields,
  ] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateContentBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429),
    201: {
      description: 'Created',
      headers: z.object({
        Location: z.string().openapi({
          description: 'The new item: /api/v1/content/{id}',
          example: '/api/v1/content/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
        }),
        ETag: ETagHeaderSchema,
      }),
      content: { 'application/json': { schema: ContentSchema } },
    },
  },
});

export function registerCreateContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(createContentRoute, async (c) => {
    const { scheduledAt, ...fields } = c.req.valid('json');
    const item = await createContent({
      ctx: tenantContext(c),
      input: { ...fields, scheduledAt: scheduledAt === undefined ? undefined : new Date(scheduledAt) },
    });
    c.header('location', `/api/v1/content/${item.id}`);
    c.header('etag', etagOf(item.version));
    return c.json(toContentResource(item), 201);
  });
}
