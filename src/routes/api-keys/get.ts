import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getApiKey } from '../../services/api-keys/get-api-key.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { ApiKeySchema, toApiKeyResource } from './api-key-schema.ts';

export const getApiKeyRoute = createRoute({
  method: 'get',
  path: '/api/v1/api-keys/{id}',
  operationId: 'getApiKey',
  tags: ['API keys'],
  summary: 'Get an API key',
  description:
    'One key of the organization (where Location points after a create). The secret is never returned. Requires api_keys.manage.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('api_keys.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The key', content: { 'application/json': { schema: ApiKeySchema } } },
  },
});

export function registerGetApiKey(app: OpenAPIHono<AppEnv>) {
  app.openapi(getApiKeyRoute, async (c) => {
    const key = await getApiKey({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.json(toApiKeyResource(key), 200);
  });
}
