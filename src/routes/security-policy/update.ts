import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateSecurityPolicy } from '../../services/security-policy/update-security-policy.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SecurityPolicySchema, toSecurityPolicyResource, UpdateSecurityPolicyBodySchema } from './schemas.ts';

export const updateSecurityPolicyRoute = createRoute({
  method: 'put',
  path: '/api/v1/security-policy',
  operationId: 'updateSecurityPolicy',
  tags: ['Security'],
  summary: 'Change the security policy',
  description: [
    'Changes any of mfa.requiredRoles (the whole list; super_admin always stays), mfa.maxAgeSeconds and mfa.builtInTotp of',
    "the organization acted in. It applies from every member's next request. Requires security.manage (and, for an",
    'org_admin, MFA like any of its requests). Audited as organization.security_policy_update with the settings that',
    'changed; a request that changes nothing writes nothing.',
  ].join(' '),
  security: bearerOrSession,
  middleware: [requirePermission('security.manage')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateSecurityPolicyBodySchema } } } },
  responses: {
    ...problemResponses(400, 401, 403, 413, 429),
    200: { description: 'The policy now in force', content: { 'application/json': { schema: SecurityPolicySchema } } },
  },
});

export function registerUpdateSecurityPolicy(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateSecurityPolicyRoute, async (c) => {
    const ctx = tenantContext(c);
    const policy = await updateSecurityPolicy({ ctx, input: c.req.valid('json') });
    return c.json(toSecurityPolicyResource(ctx.organizationId, policy), 200);
  });
}
