import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { actions } from '../../auth/permissions.ts';
import { userRoles } from '../../db/schema/index.ts';
import type { AppEnv } from '../../app-env.ts';
import { getMe } from '../../services/users/get-me.ts';
import { tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { toUserResource, UserSchema } from '../shared/user-schema.ts';

const MeSchema = z
  .object({
    principalType: z.enum(['user', 'api_key']),
    role: z.enum(userRoles),
    user: UserSchema.nullable(),
    apiKey: z.object({ id: z.uuid(), name: z.string(), prefix: z.string() }).nullable(),
    organization: z
      .object({ id: z.uuid(), name: z.string(), slug: z.string() })
      .openapi({ description: 'The organization this request acts in.' }),
    permissions: z.array(z.enum(actions)),
  })
  .openapi('Me');

export const getMeRoute = createRoute({
  method: 'get',
  path: '/api/v1/me',
  operationId: 'getMe',
  tags: ['Users'],
  summary: 'The caller',
  description:
    'Who the token or API key belongs to, the organization acted in, and what it may do. Any authenticated caller.',
  security: [{ bearerAuth: [] }],
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The caller', content: { 'application/json': { schema: MeSchema } } },
  },
});

export function registerGetMe(app: OpenAPIHono<AppEnv>) {
  app.openapi(getMeRoute, async (c) => {
    const me = await getMe({ ctx: tenantContext(c) });
    return c.json({ ...me, user: me.user ? toUserResource(me.user) : null, permissions: [...me.permissions] }, 200);
  });
}
