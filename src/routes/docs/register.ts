import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../app-env.ts';
import { documentMiddleware } from './middleware-responses.ts';

export const OPENAPI_PATH = '/openapi.json';

/**
 * The OpenAPI 3.1 document is generated from the route definitions. /docs, which renders it interactively, is a
 * static asset (src/docs-site, Scalar's standalone build; docs/decisions/0038), as is the admin app under /admin/.
 */
export function registerDocs(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'OIDC access token (production) or a token from `npm run token` (local).',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: '__Host-cos_session',
    description:
      'The browser session set by `/auth/callback` (`cos_session` over plain http in local development). Accepted ' +
      'wherever a bearer token is; changes made with it need an Origin of this site and `X-CSRF: 1`.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'deliveryToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'cosd_…',
    description:
      "A delivery token (`POST /api/v1/delivery-tokens`): reads one organization's published content and sends its engagement events.",
  });
  // app.doc31 serves the document as generated; this adds what app-wide middleware answers (middleware-responses.ts).
  app.get(OPENAPI_PATH, (c) => c.json(documentMiddleware(app.getOpenAPI31Document(documentObject(c)))));
  // The assets answer /admin/…; the bare /admin (no file) comes here.
  app.get('/admin', (c) => c.redirect('/admin/', 308));
}

function documentObject(c: Context) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ContentOS API',
      version: '1.0.0',
      description:
        'Multi-tenant headless content management: the management API (`/api/v1`, JWT) and the edge delivery API (`/delivery/v1`). ' +
        'Errors are RFC 9457 problem+json.',
    },
    servers: [{ url: new URL(c.req.url).origin }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: 'Content', description: 'Create, list, read, update and archive content' },
      { name: 'Users', description: 'Members of the organization and the caller' },
      { name: 'Organizations', description: 'Tenants (super_admin)' },
      { name: 'API keys', description: 'Credentials for machine clients' },
      { name: 'Delivery tokens', description: 'Read-only credentials for the delivery API' },
      {
        name: 'Webhooks',
        description: 'Signed, retried and logged notifications of content events to the organization\u2019s endpoints',
      },
      { name: 'Analytics', description: 'Reader engagement, counted from the delivery API\u2019s events' },
      {
        name: 'Delivery',
        description:
          'Published content at the edge (`/delivery/v1/{org}`), served from KV, and reader engagement events',
      },
      { name: 'Audit log', description: 'Append-only record of every change' },
      { name: 'Security', description: 'Multi-factor authentication: the policy, and your own authenticator' },
      {
        name: 'Sign-in',
        description: 'Single sign-on per organization (OpenID Connect), browser sessions and their revocation',
      },
      { name: 'System', description: 'Health and service metadata' },
    ],
  };
}
