import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listOrganizations } from '../../services/organizations/list-organizations.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { ListOrganizationsQuerySchema, OrganizationSchema, toOrganizationResource } from './schemas.ts';

const OrganizationListSchema = paginated(OrganizationSchema, 'OrganizationList');

export const listOrganizationsRoute = createRoute({
  method: 'get',
  path: '/api/v1/organizations',
  operationId: 'listOrganizations',
  tags: ['Organizations'],
  summary: 'List organizations',
  description:
    'Every organization on the platform, newest first, optionally searched by name or slug. super_admin only (organizations.manage).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('organizations.manage')] as const,
  request: { query: ListOrganizationsQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: {
      description: 'A page of organizations',
      content: { 'application/json': { schema: OrganizationListSchema } },
    },
  },
});

export function registerListOrganizations(app: OpenAPIHono<AppEnv>) {
  app.openapi(listOrganizationsRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listOrganizations({ ctx: tenantContext(c), input: query });
    return c.json(pageBody(items.map(toOrganizationResource), query, total), 200);
  });
}
