import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { LOGIN_COOKIE, SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { serviceContext } from '../../middleware/request-context.ts';
import { completeSignIn } from '../../services/sign-in/complete-sign-in.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { requestClient } from '../shared/guard.ts';
import { browserCookies, redirectHeaders } from './browser-cookies.ts';

const param = (description: string) => z.string().max(4096).optional().openapi({ description });

export const signInCallbackRoute = createRoute({
  method: 'get',
  path: '/auth/callback',
  operationId: 'signInCallback',
  tags: ['Sign-in'],
  summary: 'Where the provider sends the browser back',
  description: [
    'Completes a sign-in started at `/auth/{org}/login` in this browser: the state must name a sign-in in progress',
    '(each works once), the code is exchanged with its PKCE verifier, and the ID token is verified (signature,',
    'issuer, audience, nonce, expiry; algorithms pinned). The person is matched by (iss, sub), else by verified email',
    "among the organization's members, else provisioned inside the allowed domains. Sets the session cookie and",
    'redirects to `return_to`. Audited as auth.sign_in (refusals after a valid ID token as auth.sign_in_refused).',
  ].join(' '),
  security: [],
  request: {
    query: z.object({
      code: param('Authorization code'),
      state: param('The state this sign-in started with'),
      iss: param('Issuer (RFC 9207), checked when the provider sends it'),
      error: param('Set by the provider when it did not authenticate anyone'),
      error_description: param('The provider\u2019s explanation'),
    }),
  },
  responses: {
    ...problemResponses(400, 401, 403, 409, 503),
    303: { description: 'Signed in: to `return_to`, with the session cookie', headers: redirectHeaders },
  },
});

export function registerSignInCallback(app: OpenAPIHono<AppEnv>) {
  app.openapi(signInCallbackRoute, async (c) => {
    const cookies = browserCookies(c);
    const signedIn = await completeSignIn({
      ctx: serviceContext(c),
      input: { callbackUrl: c.req.url, browserSecret: cookies.get(LOGIN_COOKIE), client: requestClient(c) },
    });
    cookies.clear(LOGIN_COOKIE);
    cookies.set(SESSION_COOKIE, signedIn.sessionSecret, c.get('config').sessions.absoluteTimeoutMs / 1000);
    c.header('cache-control', 'no-store');
    return c.redirect(signedIn.returnTo, 303);
  });
}
