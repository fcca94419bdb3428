import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { deleteCookie } from 'hono/cookie';
import type { AppEnv } from '../../app-env.ts';
import { cookieName, SESSION_COOKIE, securedCookies } from '../../auth/session-cookie.ts';
import { revokeOwnSession } from '../../services/sessions/revoke-own-session.ts';
import { tenantContext } from '../shared/guard.ts';
import { bearerOrSession, problemResponses } from '../shared/problem-schema.ts';
import { SessionIdParamSchema } from './session-schema.ts';

export const revokeMySessionRoute = createRoute({
  method: 'delete',
  path: '/api/v1/me/sessions/{id}',
  operationId: 'revokeMySession',
  tags: ['Sign-in'],
  summary: 'End one of my sessions',
  description:
    "Ends one of the caller's own sessions at once (the next request with it is 401 session_revoked). Another " +
    "user's session, or one already ended, is 404. Audited as auth.session_revoke. With the session cookie, send " +
    'the CSRF header `X-CSRF: 1` from this origin.',
  security: bearerOrSession,
  request: { params: SessionIdParamSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    204: { description: 'Ended' },
  },
});

export function registerRevokeMySession(app: OpenAPIHono<AppEnv>) {
  app.openapi(revokeMySessionRoute, async (c) => {
    const { id } = c.req.valid('param');
    await revokeOwnSession({ ctx: tenantContext(c), input: { id } });
    if (c.get('session')?.id === id) {
      const secure = securedCookies(c.get('config'), c.req.url);
      deleteCookie(c, cookieName(SESSION_COOKIE, secure), { path: '/', secure });
    }
    return c.body(null, 204);
  });
}
