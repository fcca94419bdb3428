import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { deleteSsoConfig } from '../../services/sso/delete-sso-config.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';

export const deleteSsoRoute = createRoute({
  method: 'delete',
  path: '/api/v1/sso',
  operationId: 'deleteSso',
  tags: ['Sign-in'],
  summary: 'Remove single sign-on',
  description:
    "Removes the organization's provider and ends every session signed in through it; bearer tokens and API keys " +
    'are untouched. Removing nothing is not an error. Requires sso.manage; audited as sso.delete and auth.session_revoke.',
  security: bearerOrSession,
  middleware: [requirePermission('sso.manage')] as const,
  responses: {
    ...problemResponses(401, 403, 429),
    204: { description: 'Removed (or there was nothing to remove)' },
  },
});

export function registerDeleteSso(app: OpenAPIHono<AppEnv>) {
  app.openapi(deleteSsoRoute, async (c) => {
    await deleteSsoConfig({ ctx: tenantContext(c) });
    return c.body(null, 204);
  });
}
