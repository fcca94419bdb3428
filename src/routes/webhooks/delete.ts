import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { deleteWebhook } from '../../services/webhooks/delete-webhook.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';

export const deleteWebhookRoute = createRoute({
  method: 'delete',
  path: '/api/v1/webhooks/{id}',
  operationId: 'deleteWebhook',
  tags: ['Webhooks'],
  summary: 'Delete a webhook',
  description:
    'Deletes the webhook, its secrets and its delivery log; nothing more is sent to it. Requires webhooks.manage; audited as webhook.delete.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    204: { description: 'Deleted' },
  },
});

export function registerDeleteWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(deleteWebhookRoute, async (c) => {
    await deleteWebhook({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.body(null, 204);
  });
}
