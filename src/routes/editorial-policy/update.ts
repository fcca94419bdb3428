import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateEditorialPolicy } from '../../services/editorial-policy/update-editorial-policy.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { EditorialPolicySchema, toEditorialPolicyResource, UpdateEditorialPolicyBodySchema } from './schemas.ts';

export const updateEditorialPolicyRoute = createRoute({
  method: 'put',
  path: '/api/v1/editorial-policy',
  operationId: 'updateEditorialPolicy',
  tags: ['Organizations'],
  summary: 'Change the editorial policy',
  description: [
    'Changes any of approvalThreshold, prohibitedPhrases (the whole list) and requiredDisclaimer of the ' +
      'organization acted in; fields left out keep their value, an empty body is 400. Requires ' +
      'policy.manage.',
    'The rules apply from the next save or approval; stored scores and compliance flags are not recomputed.',
    'Audited as organization.policy_update with the fields that changed; a request that changes nothing writes nothing.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('policy.manage')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: UpdateEditorialPolicyBodySchema } } } },
  responses: {
    ...problemResponses(400, 401, 403, 413, 429),
    200: { description: 'The policy now in force', content: { 'application/json': { schema: EditorialPolicySchema } } },
  },
});

export function registerUpdateEditorialPolicy(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateEditorialPolicyRoute, async (c) => {
    const ctx = tenantContext(c);
    const policy = await updateEditorialPolicy({ ctx, input: c.req.valid('json') });
    return c.json(toEditorialPolicyResource(ctx.organizationId, policy), 200);
  });
}
