import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateWebhook } from '../../services/webhooks/update-webhook.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { toWebhookResource, UpdateWebhookBodySchema, WebhookSchema, WEBHOOK_SERVER_OWNED_FIELDS } from './schemas.ts';

export const updateWebhookRoute = createRoute({
  method: 'patch',
  path: '/api/v1/webhooks/{id}',
  operationId: 'updateWebhook',
  tags: ['Webhooks'],
  summary: 'Update a webhook',
  description: [
    'Changes the URL (checked like at creation), the subscribed events, the description, or turns deliveries off and on.',
    'Turning on a webhook the platform disabled clears the reason and the failure streak. Requires webhooks.manage; audited as webhook.update.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage'), refuseServerOwnedFields(WEBHOOK_SERVER_OWNED_FIELDS)] as const,
  request: {
    params: IdParamSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateWebhookBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 413, 422, 429, 503),
    200: { description: 'The webhook now', content: { 'application/json': { schema: WebhookSchema } } },
  },
});

export function registerUpdateWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateWebhookRoute, async (c) => {
    const view = await updateWebhook({
      ctx: tenantContext(c),
      input: { ...c.req.valid('param'), ...c.req.valid('json') },
    });
    return c.json(toWebhookResource(view), 200);
  });
}
