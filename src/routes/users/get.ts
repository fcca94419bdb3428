import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getUser } from '../../services/users/get-user.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toUserResource, UserSchema } from '../shared/user-schema.ts';

export const getUserRoute = createRoute({
  method: 'get',
  path: '/api/v1/users/{id}',
  operationId: 'getUser',
  tags: ['Users'],
  summary: 'Get a user',
  description: 'One user of the organization acted in; a user of another organization is 404. Requires users.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('users.read')] as const,
  request: { params: IdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The user', content: { 'application/json': { schema: UserSchema } } },
  },
});

export function registerGetUser(app: OpenAPIHono<AppEnv>) {
  app.openapi(getUserRoute, async (c) => {
    const user = await getUser({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.json(toUserResource(user), 200);
  });
}
