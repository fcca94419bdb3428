import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { getSsoConfig } from '../../services/sso/get-sso-config.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SsoSettingsSchema, toSsoSettingsResource } from './schemas.ts';

export const getSsoRoute = createRoute({
  method: 'get',
  path: '/api/v1/sso',
  operationId: 'getSso',
  tags: ['Sign-in'],
  summary: "The organization's single sign-on",
  description:
    'The OpenID Connect provider browsers sign in through, and the redirect URI to register with it (also before ' +
    'anything is configured: `configured` false). The client secret is never returned. Requires sso.manage; a ' +
    'super_admin reaches any organization with X-Organization-Id.',
  security: bearerOrSession,
  middleware: [requirePermission('sso.manage')] as const,
  responses: {
    ...problemResponses(401, 403, 429),
    200: { description: 'The SSO settings', content: { 'application/json': { schema: SsoSettingsSchema } } },
  },
});

export function registerGetSso(app: OpenAPIHono<AppEnv>) {
  app.openapi(getSsoRoute, async (c) => {
    const settings = await getSsoConfig({ ctx: tenantContext(c) });
    return c.json(toSsoSettingsResource(settings, new URL(c.req.url).origin), 200);
  });
}
