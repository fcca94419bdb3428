import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { sendTestWebhook } from '../../services/webhooks/send-test-webhook.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema, IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toDeliveryResource, WebhookDeliverySchema } from './schemas.ts';

export const testWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/test',
  operationId: 'testWebhook',
  tags: ['Webhooks'],
  summary: 'Send a test event',
  description:
    'Sends a `webhook.test` event to this webhook only, whatever it subscribes to and even while it is ' +
    'off, signed and retried like any delivery. Requires webhooks.manage; audited as webhook.test.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    202: {
      description: 'Queued; follow it in the delivery log',
      content: { 'application/json': { schema: WebhookDeliverySchema } },
    },
  },
});

export function registerTestWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(testWebhookRoute, async (c) => {
    return c.json(
      toDeliveryResource(await sendTestWebhook({ ctx: tenantContext(c), input: c.req.valid('param') })),
      202,
    );
  });
}
