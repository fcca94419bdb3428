import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getEditorialPolicy } from '../../services/editorial-policy/get-editorial-policy.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { EditorialPolicySchema, toEditorialPolicyResource } from './schemas.ts';

export const getEditorialPolicyRoute = createRoute({
  method: 'get',
  path: '/api/v1/editorial-policy',
  operationId: 'getEditorialPolicy',
  tags: ['Organizations'],
  summary: 'The editorial policy',
  description:
    'The rules content of the organization acted in is held to: the approval threshold, the prohibited ' +
    'phrases and the required disclaimer. Anyone who may read content (content.read) may read them.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The policy', content: { 'application/json': { schema: EditorialPolicySchema } } },
  },
});

export function registerGetEditorialPolicy(app: OpenAPIHono<AppEnv>) {
  app.openapi(getEditorialPolicyRoute, async (c) => {
    const ctx = tenantContext(c);
    const policy = await getEditorialPolicy({ ctx });
    return c.json(toEditorialPolicyResource(ctx.organizationId, policy), 200);
  });
}
