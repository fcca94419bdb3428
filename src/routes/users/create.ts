import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { createUser } from '../../services/users/create-user.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { toUserResource, UserSchema } from '../shared/user-schema.ts';
import { CreateUserBodySchema, UserLocationHeaderSchema, userLocation } from './schemas.ts';

export const createUserRoute = createRoute({
  method: 'post',
  path: '/api/v1/users',
  operationId: 'createUser',
  tags: ['Users'],
  summary: 'Create a user',
  description:
    'Adds a user to the organization acted in (a super_admin chooses it with X-Organization-Id). ' +
    'Requires users.manage; only a super_admin may create a super_admin. Emails are unique across the ' +
    'platform (409 email_taken).',
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('users.manage'),
    refuseServerOwnedFields(['id', 'organizationId', 'lastLogin', 'createdAt', 'updatedAt']),
  ] as const,
  request: {
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: CreateUserBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 413, 422, 429),
    201: {
      description: 'Created',
      headers: UserLocationHeaderSchema,
      content: { 'application/json': { schema: UserSchema } },
    },
  },
});

export function registerCreateUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(createUserRoute, async (c) => {
    const user = await createUser({ ctx: tenantContext(c), input: c.req.valid('json') });
    c.header('location', userLocation(user.id));
    return c.json(toUserResource(user), 201);
  });
}
