import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { revokeDeliveryToken } from '../../services/delivery-tokens/revoke-delivery-token.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';

export const revokeDeliveryTokenRoute = createRoute({
  method: 'delete',
  path: '/api/v1/delivery-tokens/{id}',
  operationId: 'revokeDeliveryToken',
  tags: ['Delivery tokens'],
  summary: 'Revoke a delivery token',
  description:
    'Revokes the token at once. It stays listed (status revoked) for the record. Revoking a revoked ' +
    'token is a no-op that also answers 204. Requires delivery_tokens.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('delivery_tokens.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    204: { description: 'Revoked (or already revoked)' },
  },
});

export function registerRevokeDeliveryToken(app: OpenAPIHono<AppEnv>) {
  app.openapi(revokeDeliveryTokenRoute, async (c) => {
    await revokeDeliveryToken({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.body(null, 204);
  });
}
