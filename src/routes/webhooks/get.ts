import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getWebhook } from '../../services/webhooks/get-webhook.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toWebhookResource, WebhookSchema } from './schemas.ts';

export const getWebhookRoute = createRoute({
  method: 'get',
  path: '/api/v1/webhooks/{id}',
  operationId: 'getWebhook',
  tags: ['Webhooks'],
  summary: 'Get a webhook',
  description:
    'One webhook of the organization, with its status (and why the platform disabled it, if it did) and which secrets sign now. Requires webhooks.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('webhooks.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The webhook', content: { 'application/json': { schema: WebhookSchema } } },
  },
});

export function registerGetWebhook(app: OpenAPIHono<AppEnv>) {
  app.openapi(getWebhookRoute, async (c) => {
    return c.json(toWebhookResource(await getWebhook({ ctx: tenantContext(c), input: c.req.valid('param') })), 200);
  });
}
