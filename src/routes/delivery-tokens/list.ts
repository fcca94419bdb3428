import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { credentialStatuses } from '../../services/credentials/credential-rules.ts';
import { listDeliveryTokens } from '../../services/delivery-tokens/list-delivery-tokens.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated, PaginationQuerySchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeliveryTokenSchema, toDeliveryTokenResource } from './delivery-token-schema.ts';

const ListDeliveryTokensQuerySchema = PaginationQuerySchema.extend({
  status: z
    .enum(credentialStatuses)
    .optional()
    .openapi({ description: 'Only tokens in this state.', example: 'active' }),
}).strict();

export const listDeliveryTokensRoute = createRoute({
  method: 'get',
  path: '/api/v1/delivery-tokens',
  operationId: 'listDeliveryTokens',
  tags: ['Delivery tokens'],
  summary: 'List delivery tokens',
  description:
    "The organization's delivery tokens, newest first, revoked and expired ones included. Secrets are never returned. Requires delivery_tokens.manage.",
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('delivery_tokens.manage')] as const,
  request: { query: ListDeliveryTokensQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: {
      description: 'A page of tokens',
      content: { 'application/json': { schema: paginated(DeliveryTokenSchema, 'DeliveryTokenList') } },
    },
  },
});

export function registerListDeliveryTokens(app: OpenAPIHono<AppEnv>) {
  app.openapi(listDeliveryTokensRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listDeliveryTokens({ ctx: tenantContext(c), input: query });
    const now = new Date();
    return c.json(
      pageBody(
        items.map((token) => toDeliveryTokenResource(token, now)),
        query,
        total,
      ),
      200,
    );
  });
}
