import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { replayWebhookDelivery } from '../../services/webhooks/replay-webhook-delivery.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeliveryParamsSchema, toDeliveryResource, WebhookDeliverySchema } from './schemas.ts';

export const replayWebhookDeliveryRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks/{id}/deliveries/{deliveryId}/replay',
  operationId: 'replayWebhookDelivery',
  tags: ['Webhooks'],
  summary: 'Replay a delivery',
  description: [
    'Sends a succeeded or dead-lettered delivery again, on a fresh retry schedule: the same body and the same webhook-id, so receivers can recognise it.',
    '409 delivery_in_progress while it is still pending; 422 webhook_inactive while the webhook is off. ' +
      'Requires webhooks.manage; audited as webhook.delivery_replay.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: DeliveryParamsSchema, headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 422, 429),
    202: {
      description: 'Queued; follow it in the delivery log',
      content: { 'application/json': { schema: WebhookDeliverySchema } },
    },
  },
});

export function registerReplayWebhookDelivery(app: OpenAPIHono<AppEnv>) {
  app.openapi(replayWebhookDeliveryRoute, async (c) => {
    const { id, deliveryId } = c.req.valid('param');
    return c.json(
      toDeliveryResource(await replayWebhookDelivery({ ctx: tenantContext(c), input: { webhookId: id, deliveryId } })),
      202,
    );
  });
}
