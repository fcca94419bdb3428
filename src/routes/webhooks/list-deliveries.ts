import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listWebhookDeliveries } from '../../services/webhooks/list-webhook-deliveries.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema, pageBody, paginated } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { ListWebhookDeliveriesQuerySchema, toDeliveryResource, WebhookDeliverySchema } from './schemas.ts';

export const listWebhookDeliveriesRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: 'List deliveries of a webhook',
  description:
    'The delivery log, newest first: each event sent to this webhook with its status and every attempt ' +
    '(status code, duration, the first 1 KiB of the response, error). Filter by status and by event type ' +
    'or id. Requires webhooks.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: IdParamSchema, query: ListWebhookDeliveriesQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: {
      description: 'A page of deliveries',
      content: { 'application/json': { schema: paginated(WebhookDeliverySchema, 'WebhookDeliveryList') } },
    },
  },
});

export function registerListWebhookDeliveries(app: OpenAPIHono<AppEnv>) {
  app.openapi(listWebhookDeliveriesRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listWebhookDeliveries({
      ctx: tenantContext(c),
      input: { ...query, webhookId: c.req.valid('param').id },
    });
    return c.json(pageBody(items.map(toDeliveryResource), query, total), 200);
  });
}
