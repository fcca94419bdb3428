import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { createOrganization } from '../../services/organizations/create-organization.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import {
  CreateOrganizationBodySchema,
  OrganizationLocationHeaderSchema,
  OrganizationSchema,
  organizationLocation,
  toOrganizationResource,
} from './schemas.ts';

export const createOrganizationRoute = createRoute({
  method: 'post',
  path: '/api/v1/organizations',
  operationId: 'createOrganization',
  tags: ['Organizations'],
  summary: 'Create an organization',
  description:
    'A new tenant, optionally with its first org_admin (initialAdmin), in one transaction. super_admin ' +
    'only. A taken slug is 409 slug_taken; a reserved slug is 422 slug_reserved.',
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('organizations.manage'),
    refuseServerOwnedFields(['id', 'createdAt', 'updatedAt']),
  ] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateOrganizationBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429),
    201: {
      description: 'Created',
      headers: OrganizationLocationHeaderSchema,
      content: { 'application/json': { schema: OrganizationSchema } },
    },
  },
});

export function registerCreateOrganization(app: OpenAPIHono<AppEnv>) {
  app.openapi(createOrganizationRoute, async (c) => {
    const { organization } = await createOrganization({ ctx: tenantContext(c), input: c.req.valid('json') });
    c.header('location', organizationLocation(organization.id));
    return c.json(toOrganizationResource(organization), 201);
  });
}
