import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { createWebhook } from '../../services/webhooks/create-webhook.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import {
  CreatedWebhookSchema,
  CreateWebhookBodySchema,
  toWebhookResource,
  WEBHOOK_SERVER_OWNED_FIELDS,
} from './schemas.ts';

export const createWebhookRoute = createRoute({
  method: 'post',
  path: '/api/v1/webhooks',
  operationId: 'createWebhook',
  tags: ['Webhooks'],
  summary: 'Create a webhook',
  description: [
    "Registers an endpoint for the organization's content events. Deliveries are signed (Standard " +
      'Webhooks: webhook-id, webhook-timestamp, webhook-signature), retried with backoff for about ' +
      '42 hours, and logged.',
    'The signing secret is returned once, in this response. Requires webhooks.manage (org_admin, super_admin); audited as webhook.create (without the secret).',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage'), refuseServerOwnedFields(WEBHOOK_SERVER_OWNED_FIELDS)] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateWebhookBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429, 503),
    201: {
      description: 'Created; the signing secret is in the body and nowhere else',
      headers: z.object({
        Location: z.string().openapi({ example: '/api/v1/webhooks/3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11' }),
      }),
      content: { 'application/json': { schema: CreatedWebhookSchema } },
    },
  },
});

export function registerCreateWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(createWebhookRoute, async (c) => {
    const { secret, ...view } = await createWebhook({ ctx: tenantContext(c), input: c.req.valid('json') });
    c.header('location', `/api/v1/webhooks/${view.webhook.id}`);
    c.header('cache-control', 'no-store');
    return c.json({ ...toWebhookResource(view), secret }, 201);
  });
}
