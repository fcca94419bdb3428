import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateOrganization } from '../../services/organizations/update-organization.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { OrganizationSchema, toOrganizationResource, UpdateOrganizationBodySchema } from './schemas.ts';

export const updateOrganizationRoute = createRoute({
  method: 'patch',
  path: '/api/v1/organizations/{id}',
  operationId: 'updateOrganization',
  tags: ['Organizations'],
  summary: 'Update an organization',
  description:
    'Renames it, changes its slug (409 slug_taken, 422 slug_reserved) or its management API rate limit ' +
    '(applies from the next request; null restores the platform default). super_admin only. Audited as ' +
    'organization.update.',
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('organizations.manage'),
    refuseServerOwnedFields(['id', 'createdAt', 'updatedAt']),
  ] as const,
  request: {
    params: IdParamSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateOrganizationBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 413, 422, 429),
    200: { description: 'The updated organization', content: { 'application/json': { schema: OrganizationSchema } } },
  },
});

export function registerUpdateOrganization(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateOrganizationRoute, async (c) => {
    const organization = await updateOrganization({
      ctx: tenantContext(c),
      input: { ...c.req.valid('param'), changes: c.req.valid('json') },
    });
    return c.json(toOrganizationResource(organization), 200);
  });
}
