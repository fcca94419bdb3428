import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { LOGIN_COOKIE } from '../../auth/session-cookie.ts';
import { serviceContext } from '../../middleware/request-context.ts';
import { safeReturnPath } from '../../services/sign-in/return-path.ts';
import { startSignIn } from '../../services/sign-in/start-sign-in.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { browserCookies, redirectHeaders } from './browser-cookies.ts';

/** `return_to` of both sign-in routes. */
export const ReturnToQuerySchema = z.object({
  return_to: z.string().max(2048).optional().openapi({
    description: 'A path on this site to land on once signed in (default `/api/v1/me`).',
    example: '/admin/',
  }),
});

export const signInRoute = createRoute({
  method: 'get',
  path: '/auth/{org}/login',
  operationId: 'signIn',
  tags: ['Sign-in'],
  summary: "Sign in through the organization's provider",
  description:
    "Sends the browser to the organization's OpenID Connect provider (authorization code flow with PKCE, state and " +
    'nonce kept server-side, single use). The provider comes back to `/auth/callback`, which sets the session cookie.',
  security: [],
  request: {
    params: z.object({
      org: z
        .string()
        .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/)
        .openapi({ param: { name: 'org', in: 'path' }, description: "The organization's slug", example: 'demo' }),
    }),
    query: ReturnToQuerySchema,
  },
  responses: {
    ...problemResponses(400, 404, 503),
    302: { description: "To the provider's authorization endpoint", headers: redirectHeaders },
  },
});

export function registerSignIn(app: OpenAPIHono<AppEnv>) {
  app.openapi(signInRoute, async (c) => {
    const origin = new URL(c.req.url).origin;
    const returnTo = safeReturnPath(c.req.valid('query').return_to, origin);
    const start = await startSignIn({
      ctx: serviceContext(c),
      input: { target: { slug: c.req.valid('param').org }, returnTo, origin },
    });
    browserCookies(c).set(LOGIN_COOKIE, start.browserSecret, start.maxAgeSeconds);
    c.header('cache-control', 'no-store');
    return c.redirect(start.authorizationUrl, 302);
  });
}
