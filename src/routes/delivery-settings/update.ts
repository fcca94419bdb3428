import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateDeliverySettings } from '../../services/delivery-settings/delivery-settings.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeliverySettingsSchema, toDeliverySettingsResource, UpdateDeliverySettingsBodySchema } from './schemas.ts';

export const updateDeliverySettingsRoute = createRoute({
  method: 'put',
  path: '/api/v1/delivery-settings',
  operationId: 'updateDeliverySettings',
  tags: ['Delivery tokens'],
  summary: 'Turn public delivery on or off; set delivery rate limits',
  description: [
    "publicAccess true lets anyone read the organization's published content through the delivery API without a token; false requires a delivery token again.",
    'rateLimits, when sent, sets the requests per minute allowed per client address and per delivery token (null: the platform default).',
    "The edge follows within one queue delivery (the slug's KV entry is rewritten by the event). " +
      'Requires delivery_tokens.manage. Audited as organization.delivery_settings_update; a request ' +
      'that changes nothing writes nothing.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('delivery_tokens.manage')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateDeliverySettingsBodySchema } } } },
  responses: {
    ...problemResponses(400, 401, 403, 413, 429),
    200: {
      description: 'The settings now in force',
      content: { 'application/json': { schema: DeliverySettingsSchema } },
    },
  },
});

export function registerUpdateDeliverySettings(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateDeliverySettingsRoute, async (c) => {
    const ctx = tenantContext(c);
    return c.json(
      toDeliverySettingsResource(ctx.organizationId, await updateDeliverySettings({ ctx, input: c.req.valid('json') })),
      200,
    );
  });
}
