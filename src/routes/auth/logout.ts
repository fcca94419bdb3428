import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { assertSameSiteRequest } from '../../auth/csrf.ts';
import { SESSION_COOKIE } from '../../auth/session-cookie.ts';
import { serviceContext } from '../../middleware/request-context.ts';
import { clientAddressKey } from '../../services/rate-limit/client-address.ts';
import { signOut } from '../../services/sessions/sign-out.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { requestClient } from '../shared/guard.ts';
import { browserCookies } from './browser-cookies.ts';

export const signOutRoute = createRoute({
  method: 'post',
  path: '/auth/logout',
  operationId: 'signOut',
  tags: ['Sign-in'],
  summary: 'Sign out',
  description:
    'Ends the session of the cookie and clears it; an ended or unknown session is not an error. Like every change ' +
    'made with the cookie, it needs an Origin of this site and `X-CSRF: 1` (403 csrf_check_failed). Audited as auth.sign_out. ' +
    'A cookie naming no live session counts as a failed authentication of the address (429 once it has too many).',
  security: [{ sessionCookie: [] }],
  responses: {
    ...problemResponses(403, 429),
    204: { description: 'Signed out' },
  },
});

export function registerSignOut(app: OpenAPIHono<AppEnv>) {
  app.openapi(signOutRoute, async (c) => {
    const cookies = browserCookies(c);
    const secret = cookies.get(SESSION_COOKIE);
    if (secret !== undefined) {
      assertSameSiteRequest(c.req);
      const address = clientAddressKey(c.req.header('cf-connecting-ip'));
      await signOut({ ctx: serviceContext(c), input: { secret, client: requestClient(c), address } });
    }
    cookies.clear(SESSION_COOKIE);
    c.header('cache-control', 'no-store');
    return c.body(null, 204);
  });
}
