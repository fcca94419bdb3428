import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listUsers } from '../../services/users/list-users.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toUserResource, UserSchema } from '../shared/user-schema.ts';
import { ListUsersQuerySchema } from './schemas.ts';

const UserListSchema = paginated(UserSchema, 'UserList');

export const listUsersRoute = createRoute({
  method: 'get',
  path: '/api/v1/users',
  operationId: 'listUsers',
  tags: ['Users'],
  summary: 'List users',
  description:
    'Users of the organization acted in, newest first, filtered by role, status and an email search. Requires users.read.',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('users.read')] as const,
  request: { query: ListUsersQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: { description: 'A page of users', content: { 'application/json': { schema: UserListSchema } } },
  },
});

export function registerListUsers(app: OpenAPIHono<AppEnv>) {
  app.openapi(listUsersRoute, async (c) => {
    const query = c.req.valid('query');
    const { items, total } = await listUsers({ ctx: tenantContext(c), input: query });
    return c.json(pageBody(items.map(toUserResource), query, total), 200);
  });
}
