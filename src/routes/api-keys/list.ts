import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { credentialStatuses } from '../../services/credentials/credential-rules.ts';
import { listApiKeys } from '../../services/api-keys/list-api-keys.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated, PaginationQuerySchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { ApiKeySchema, toApiKeyResource } from './api-key-schema.ts';

const ListApiKeysQuerySchema = PaginationQuerySchema.extend({
  status: z.enum(credentialStatuses).optional().openapi({ description: 'Only keys in this state.', example: 'active' }),
}).strict();

export const listApiKeysRoute = createRoute({
  method: 'get',
  path: '/api/v1/api-keys',
  operationId: 'listApiKeys',
  tags: ['API keys'],
  summary: 'List API keys',
  description:
    "The organization's API keys, newest first, revoked and expired ones included. Secrets are never returned. Requires api_keys.manage.",
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('api_keys.manage')] as const,
  request: { query: ListApiKeysQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: {
      description: 'A page of keys',
      content: { 'application/json': { schema: paginated(ApiKeySchema, 'ApiKeyList') } },
    },
  },
});

export function registerListApiKeys(app: OpenAPIHono<AppEnv>) {
  app.openapi(listApiKeysRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listApiKeys({ ctx: tenantContext(c), input: query });
    const now = new Date();
    return c.json(
      pageBody(
        items.map((key) => toApiKeyResource(key, now)),
        query,
        total,
      ),
      200,
    );
  });
}
