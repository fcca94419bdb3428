import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getDeliverySettings } from '../../services/delivery-settings/delivery-settings.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeliverySettingsSchema, toDeliverySettingsResource } from './schemas.ts';

export const getDeliverySettingsRoute = createRoute({
  method: 'get',
  path: '/api/v1/delivery-settings',
  operationId: 'getDeliverySettings',
  tags: ['Delivery tokens'],
  summary: 'How the delivery API serves this organization',
  description:
    'The slug the delivery API is read under, whether it answers without a delivery token, and its own delivery rate limits. ' +
    'Requires delivery_tokens.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('delivery_tokens.manage')] as const,
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The delivery settings', content: { 'application/json': { schema: DeliverySettingsSchema } } },
  },
});

export function registerGetDeliverySettings(app: OpenAPIHono<AppEnv>) {
  app.openapi(getDeliverySettingsRoute, async (c) => {
    const ctx = tenantContext(c);
    return c.json(toDeliverySettingsResource(ctx.organizationId, await getDeliverySettings({ ctx })), 200);
  });
}
