import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { resetUserMfa } from '../../services/mfa/reset-user-mfa.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema, IdParamSchema } from '../shared/params.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';

export const resetUserMfaRoute = createRoute({
  method: 'post',
  path: '/api/v1/users/{id}/mfa/reset',
  operationId: 'resetUserMfa',
  tags: ['Users'],
  summary: "Reset a member's authenticator",
  description:
    "Removes the member's built-in authenticator, recovery codes and every verification it made (lost device, suspected " +
    'compromise): their tokens need MFA again, and they enrol anew. Requires users.manage; a super_admin\u2019s only a ' +
    "super_admin resets. Another organization's user is 404. Audited as user.mfa_reset; nothing to reset is 204 and writes nothing.",
  security: bearerOrSession,
  middleware: [requirePermission('users.manage')] as const,
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    204: { description: 'Reset (or there was nothing to reset)' },
  },
});

export function registerResetUserMfa(app: OpenAPIHono<AppEnv>) {
  app.openapi(resetUserMfaRoute, async (c) => {
    await resetUserMfa({ ctx: tenantContext(c), input: c.req.valid('param') });
    return c.body(null, 204);
  });
}
