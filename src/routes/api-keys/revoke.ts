import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { revokeApiKey } from '../../services/api-keys/revoke-api-key.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';

export const revokeApiKeyRoute = createRoute({
  method: 'delete',
  path: '/api/v1/api-keys/{id}',
  operationId: 'revokeApiKey',
  tags: ['API keys'],
  summary: 'Revoke an API key',
  description:
    'Revokes the key at once: its next request is 401. The key stays listed (status revoked) for the ' +
    'record. Revoking a revoked key is a no-op that also answers 204. Requires api_keys.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('api_keys.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    204: { description: 'Revoked (or already revoked)' },
  },
});

export function registerRevokeApiKey(app: OpenAPIHono<AppEnv>) {
  app.openapi(revokeApiKeyRoute, async (c) => {
    await revokeApiKey({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.body(null, 204);
  });
}
