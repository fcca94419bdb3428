import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listWebhooks } from '../../services/webhooks/list-webhooks.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated, PaginationQuerySchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toWebhookResource, WebhookSchema } from './schemas.ts';

export const listWebhooksRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks',
  operationId: 'listWebhooks',
  tags: ['Webhooks'],
  summary: 'List webhooks',
  description:
    "The organization's webhooks, newest first, with their status. Secrets are never returned. Requires webhooks.manage.",
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { query: PaginationQuerySchema.strict() },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: {
      description: 'A page of webhooks',
      content: { 'application/json': { schema: paginated(WebhookSchema, 'WebhookList') } },
    },
  },
});

export function registerListWebhooks(app: OpenAPIHono<AppEnv>) {
  app.openapi(listWebhooksRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listWebhooks({ ctx: tenantContext(c), input: query });
    return c.json(pageBody(items.map(toWebhookResource), query, total), 200);
  });
}
