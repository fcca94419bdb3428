import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getOrganization } from '../../services/organizations/get-organization.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { OrganizationSchema, toOrganizationResource } from './schemas.ts';

export const getOrganizationRoute = createRoute({
  method: 'get',
  path: '/api/v1/organizations/{id}',
  operationId: 'getOrganization',
  tags: ['Organizations'],
  summary: 'Get an organization',
  description: 'Any organization on the platform by id. super_admin only (organizations.manage).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('organizations.manage')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The organization', content: { 'application/json': { schema: OrganizationSchema } } },
  },
});

export function registerGetOrganization(app: OpenAPIHono<AppEnv>) {
  app.openapi(getOrganizationRoute, async (c) => {
    const organization = await getOrganization({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.json(toOrganizationResource(organization), 200);
  });
}
