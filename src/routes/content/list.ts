import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { complianceStatuses, contentStatuses } from '../../db/schema/index.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema, instantMs } from '../../lib/date-time.ts';
import type { AppEnv } from '../../app-env.ts';
import { contentSortFields, listContent } from '../../services/content/list-content.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated, PaginationQuerySchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { ContentSchema, ContentTypeSchema, PlatformSlugSchema, toContentResource } from './schemas.ts';

const ListContentQuerySchema = PaginationQuerySchema.extend({
  status: z
    .enum(contentStatuses)
    .optional()
    .openapi({ description: 'Only items in this status. Without it, archived items are left out.' }),
  platform: PlatformSlugSchema.optional().openapi({ description: 'Only items that target this platform.' }),
  type: ContentTypeSchema.optional(),
  creator: z.uuid().optional().openapi({ description: 'Only items created by this user id.' }),
  compliance: z.enum(complianceStatuses).optional().openapi({ description: 'Only items with this compliance status.' }),
  updatedFrom: dateTimeSchema()
    .optional()
    .openapi({
      description: `Only items last changed at or after this instant. ${DATE_TIME_BOUNDS}`,
      example: '2026-01-01T00:00:00Z',
    }),
  updatedTo: dateTimeSchema()
    .optional()
    .openapi({
      description: `Only items last changed at or before this instant (inclusive); before updatedFrom is 400. ${DATE_TIME_BOUNDS}`,
      example: '2026-01-31T23:59:59Z',
    }),
  sort: z.enum(contentSortFields).default('created_at').openapi({ description: 'title sorts case-insensitively.' }),
  order: z.enum(['asc', 'desc']).default('desc').openapi({
    description: 'Ties are broken by id, in the same direction; unscheduled items sort last by scheduled_at.',
  }),
})
  .strict()
  .superRefine((query, ctx) => {
    if (query.updatedFrom && query.updatedTo && instantMs(query.updatedFrom) > instantMs(query.updatedTo)) {
      ctx.addIssue({ code: 'custom', path: ['updatedTo'], message: 'must not be before updatedFrom' });
    }
  });

const ContentListSchema = paginated(ContentSchema, 'ContentList');

export const listContentRoute = createRoute({
  method: 'get',
  path: '/api/v1/content',
  operationId: 'listContent',
  tags: ['Content'],
  summary: 'List content',
  description:
    'A page of the organization\u2019s content, newest first unless sorted otherwise, filtered by status, ' +
    'platform, type, creator, compliance and when it was last changed. ' +
    'Archived items appear only with status=archived. Unknown query parameters are 400. Requires content.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { query: ListContentQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: { description: 'A page of content', content: { 'application/json': { schema: ContentListSchema } } },
  },
});

export function registerListContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(listContentRoute, async (c) => {
    const { updatedFrom, updatedTo, ...query } = c.req.valid('query');
    const input = {
      ...query,
      updatedFrom: updatedFrom ? new Date(instantMs(updatedFrom)) : undefined,
      updatedTo: updatedTo ? new Date(instantMs(updatedTo)) : undefined,
    };
    const { items, total } = await listContent({ ctx: tenantContext(c), input });
    return c.json(pageBody(items.map(toContentResource), query, total), 200);
  });
}
