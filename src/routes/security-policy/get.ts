import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getSecurityPolicy } from '../../services/security-policy/get-security-policy.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SecurityPolicySchema, toSecurityPolicyResource } from './schemas.ts';

export const getSecurityPolicyRoute = createRoute({
  method: 'get',
  path: '/api/v1/security-policy',
  operationId: 'getSecurityPolicy',
  tags: ['Security'],
  summary: 'The security policy',
  description:
    'Which roles of the organization acted in must use multi-factor authentication, how recently, and whether the ' +
    'built-in authenticator counts. Requires security.manage.',
  security: bearerOrSession,
  middleware: [requirePermission('security.manage')] as const,
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The policy', content: { 'application/json': { schema: SecurityPolicySchema } } },
  },
});

export function registerGetSecurityPolicy(app: OpenAPIHono<AppEnv>) {
  app.openapi(getSecurityPolicyRoute, async (c) => {
    const ctx = tenantContext(c);
    return c.json(toSecurityPolicyResource(ctx.organizationId, await getSecurityPolicy({ ctx })), 200);
  });
}
