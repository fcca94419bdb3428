import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { putSsoConfig } from '../../services/sso/put-sso-config.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SsoConfigBodySchema, SsoSettingsSchema, toSsoSettingsResource } from './schemas.ts';

export const updateSsoRoute = createRoute({
  method: 'put',
  path: '/api/v1/sso',
  operationId: 'updateSso',
  tags: ['Sign-in'],
  summary: 'Configure single sign-on',
  description: [
    "Creates or replaces the organization's OpenID Connect provider. The issuer's discovery document is read first:",
    'a provider that cannot be reached is 503, one that is not usable (wrong issuer, missing endpoints, http, a',
    'private host) is 422 sso_issuer_invalid. Turning `enabled` off ends every session of the organization.',
    'Requires sso.manage; audited as sso.update (the secret only as "set"). SAML providers are reached through an',
    'OIDC broker: see docs/sso.md.',
  ].join(' '),
  security: bearerOrSession,
  middleware: [requirePermission('sso.manage')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: SsoConfigBodySchema } } } },
  responses: {
    ...problemResponses(400, 401, 403, 413, 422, 429, 503),
    200: {
      description: 'The SSO settings now in force',
      content: { 'application/json': { schema: SsoSettingsSchema } },
    },
  },
});

export function registerUpdateSso(app: OpenAPIHono<AppEnv>) {
  app.openapi(updateSsoRoute, async (c) => {
    const settings = await putSsoConfig({ ctx: tenantContext(c), input: c.req.valid('json') });
    return c.json(toSsoSettingsResource(settings, new URL(c.req.url).origin), 200);
  });
}
