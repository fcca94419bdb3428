import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { LOGIN_COOKIE } from '../../auth/session-cookie.ts';
import { serviceContext } from '../../middleware/request-context.ts';
import { safeReturnPath } from '../../services/sign-in/return-path.ts';
import { startSignIn } from '../../services/sign-in/start-sign-in.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { browserCookies, redirectHeaders } from './browser-cookies.ts';

/**
 * Query of both sign-in routes: `return_to`, and what a multi-factor refusal's `stepUp.url` adds for the
 * identity provider (OpenID Connect Core §3.1.2.1), passed on to it as they are (docs/decisions/0036).
 */
export const ReturnToQuerySchema = z.object({
  return_to: z.string().max(2048).optional().openapi({
    description: 'A path on this site to land on once signed in (default `/api/v1/me`).',
    example: '/admin/',
  }),
  prompt: z.enum(['login']).optional().openapi({
    description: 'Passed on to the provider: `login` makes it authenticate the person again (a step-up sign-in).',
  }),
  acr_values: z
    .string()
    .max(1024)
    .regex(/^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/)
    .optional()
    .openapi({
      description: 'Passed on to the provider: the authentication context classes asked for, space-separated.',
      example: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
    }),
  max_age: z.coerce.number().int().min(0).max(2_592_000).optional().openapi({
    description: 'Passed on to the provider: the person must have authenticated within this many seconds.',
    example: 3600,
  }),
});

/** The step-up parameters of a sign-in query, as the sign-in service takes them. */
export const stepUpOf = (query: z.infer<typeof ReturnToQuerySchema>) => ({
  prompt: query.prompt,
  acrValues: query.acr_values,
  maxAge: query.max_age,
});

export const signInRoute = createRoute({
  method: 'get',
  path: '/auth/{org}/login',
  operationId: 'signIn',
  tags: ['Sign-in'],
  summary: "Sign in through the organization's provider",
  description:
    "Sends the browser to the organization's OpenID Connect provider (authorization code flow with PKCE, state and " +
    'nonce kept server-side, single use). The provider comes back to `/auth/callback`, which sets the session cookie. ' +
    'A session refused for want of multi-factor authentication is sent here with `prompt`, `acr_values` and `max_age`.',
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
    const query = c.req.valid('query');
    const returnTo = safeReturnPath(query.return_to, origin);
    const start = await startSignIn({
      ctx: serviceContext(c),
      input: { target: { slug: c.req.valid('param').org }, returnTo, origin, stepUp: stepUpOf(query) },
    });
    browserCookies(c).set(LOGIN_COOKIE, start.browserSecret, start.maxAgeSeconds);
    c.header('cache-control', 'no-store');
    return c.redirect(start.authorizationUrl, 302);
  });
}
