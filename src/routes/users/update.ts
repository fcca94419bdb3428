import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { updateUser } from '../../services/users/update-user.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { refuseServerOwnedFields } from '../shared/server-owned-fields.ts';
import { toUserResource, UserSchema } from '../shared/user-schema.ts';
import { UpdateUserBodySchema } from './schemas.ts';

export const updateUserRoute = createRoute({
  method: 'patch',
  path: '/api/v1/users/{id}',
  operationId: 'updateUser',
  tags: ['Users'],
  summary: 'Update a user',
  description: [
    'Changes role, status or profile. Requires users.manage. Every call is audited (user.update, changed fields before and after).',
    'Rules: an org_admin cannot grant or modify super_admin (403); nobody changes their own role or status (422 cannot_modify_self);',
    'the last active org_admin of an organization cannot be demoted or deactivated (422 last_org_admin).',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [
    requirePermission('users.manage'),
    refuseServerOwnedFields(['id', 'organizationId', 'lastLogin', 'createdAt', 'updatedAt']),
  ] as const,
  request: {
    params: IdParamSchema,
    body: { required: true, content: { 'application/json': { schema: UpdateUserBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 413, 422, 429),
    200: { description: 'The updated user', content: { 'application/json': { schema: UserSchema } } },
  },
});

export function registerUpdateUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateUserRoute, async (c) => {
    const user = await updateUser({
      ctx: tenantContext(c),
      input: { ...c.req.valid('param'), changes: c.req.valid('json') },
    });
    return c.json(toUserResource(user), 200);
  });
}
