import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getDeliveryToken } from '../../services/delivery-tokens/get-delivery-token.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeliveryTokenSchema, toDeliveryTokenResource } from './delivery-token-schema.ts';

export const getDeliveryTokenRoute = createRoute({
  method: 'get',
  path: '/api/v1/delivery-tokens/{id}',
  operationId: 'getDeliveryToken',
  tags: ['Delivery tokens'],
  summary: 'Get a delivery token',
  description:
    'One delivery token of the organization (where Location points after a create). The secret is never returned. Requires delivery_tokens.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('delivery_tokens.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The token', content: { 'application/json': { schema: DeliveryTokenSchema } } },
  },
});

export function registerGetDeliveryToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(getDeliveryTokenRoute, async (c) => {
    const token = await getDeliveryToken({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.json(toDeliveryTokenResource(token), 200);
  });
}
