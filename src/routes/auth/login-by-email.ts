import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { LOGIN_COOKIE } from '../../auth/session-cookie.ts';
import { serviceContext } from '../../middleware/request-context.ts';
import { safeReturnPath } from '../../services/sign-in/return-path.ts';
import { startSignIn } from '../../services/sign-in/start-sign-in.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { browserCookies, redirectHeaders } from './browser-cookies.ts';
import { ReturnToQuerySchema, stepUpOf } from './login.ts';

export const signInByEmailRoute = createRoute({
  method: 'get',
  path: '/auth/login',
  operationId: 'signInByEmail',
  tags: ['Sign-in'],
  summary: 'Sign in, the organization found by email domain',
  description:
    "As `/auth/{org}/login`, for the one organization whose SSO lists the address's domain (passed on to the provider " +
    'as `login_hint`). No such organization is 404; several are 409 sso_domain_ambiguous (use the organization\u2019s page).',
  security: [],
  request: {
    query: ReturnToQuerySchema.extend({
      email: z.email().max(320).openapi({ example: 'editor@demo.example.com' }),
    }),
  },
  responses: {
    ...problemResponses(400, 404, 409, 503),
    302: { description: "To the provider's authorization endpoint", headers: redirectHeaders },
  },
});

export function registerSignInByEmail(app: OpenAPIHono<AppEnv>) {
  app.openapi(signInByEmailRoute, async (c) => {
    const origin = new URL(c.req.url).origin;
    const query = c.req.valid('query');
    const start = await startSignIn({
      ctx: serviceContext(c),
      input: {
        target: { email: query.email.toLowerCase() },
        returnTo: safeReturnPath(query.return_to, origin),
        origin,
        stepUp: stepUpOf(query),
      },
    });
    browserCookies(c).set(LOGIN_COOKIE, start.browserSecret, start.maxAgeSeconds);
    c.header('cache-control', 'no-store');
    return c.redirect(start.authorizationUrl, 302);
  });
}
