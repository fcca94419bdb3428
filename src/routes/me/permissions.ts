import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { actions, permissionTable } from '../../auth/permissions.ts';
import { userRoles } from '../../db/schema/index.ts';
import type { AppEnv } from '../../app-env.ts';
import { tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';

const PermissionsSchema = z
  .object({
    role: z.enum(userRoles).openapi({ description: "The caller's role (an API key's: the role it was given)" }),
    permissions: z.array(z.enum(actions)).openapi({
      description:
        "What the caller may do: its role's row, for an API key only the actions its creator's current role also holds",
    }),
    table: z
      .record(z.enum(userRoles), z.array(z.enum(actions)))
      .openapi({ description: 'The whole permission table, every role' }),
  })
  .openapi('Permissions');

export const getMyPermissionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/me/permissions',
  operationId: 'getMyPermissions',
  tags: ['Users'],
  summary: 'Permission table',
  description: 'The role → action table that every check in the API reads, and the caller\u2019s row of it.',
  security: [{ bearerAuth: [] }],
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'Permissions', content: { 'application/json': { schema: PermissionsSchema } } },
  },
});

export function registerGetMyPermissions(app: OpenAPIHono<AppEnv>) {
  app.openapi(getMyPermissionsRoute, (c) => {
    const { actor } = tenantContext(c);
    const table = Object.fromEntries(userRoles.map((role) => [role, [...permissionTable[role]]])) as Record<
      (typeof userRoles)[number],
      (typeof actions)[number][]
    >;
    return c.json({ role: actor.role, permissions: [...actor.permissions], table }, 200);
  });
}
