import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { verifyAccessToken } from '../auth/access-token.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { looksLikeApiKey } from '../auth/api-key-secret.ts';
import { assertSameSiteRequest } from '../auth/csrf.ts';
import { cookieName, SESSION_COOKIE, securedCookies } from '../auth/session-cookie.ts';
import type { AppEnv } from '../app-env.ts';
import { DomainError } from '../lib/errors.ts';
import {
  resolveApiKeyPrincipal,
  resolveTenant,
  resolveUserPrincipal,
  type Authenticated,
} from '../services/identity/resolve-principal.ts';
import { resolveSessionPrincipal } from '../services/sessions/resolve-session.ts';
import { requestClient } from '../routes/shared/guard.ts';
import { serviceContext } from './request-context.ts';

/** The session cookie of this request, under the name its scheme allows (docs/decisions/0035). */
export const sessionCookieOf = (c: Context<AppEnv>): string | undefined =>
  getCookie(c, cookieName(SESSION_COOKIE, securedCookies(c.get('config'), c.req.url)));

async function bearerPrincipal(c: Context<AppEnv>, header: string): Promise<Authenticated> {
  const token = bearerCredential(header);
  if (!token)
    throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <token>`.', {
      code: 'invalid_token',
    });
  const ctx = serviceContext(c);
  const keySetDeps = { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger };
  return looksLikeApiKey(token)
    ? resolveApiKeyPrincipal({ ctx, input: { secret: token } })
    : resolveUserPrincipal({
        ctx,
        input: { ...(await verifyAccessToken(token, c.get('config'), keySetDeps)), client: requestClient(c) },
      });
}

async function sessionPrincipal(c: Context<AppEnv>, secret: string): Promise<Authenticated> {
  // Checked before the database: a forged cross-site change costs no round trip.
  assertSameSiteRequest(c.req);
  const { session, ...authenticated } = await resolveSessionPrincipal({ ctx: serviceContext(c), input: { secret } });
  c.set('session', session);
  return authenticated;
}

/**
 * Every /api/v1 request: `Authorization: Bearer <JWT | cos_ API key>`, or else the browser's session cookie
 * (with the CSRF check on changes) → principal (from the users, api_keys or auth_sessions table) → tenant
 * (own organization, or X-Organization-Id for a super_admin). A bearer credential wins over a cookie.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization');
  const cookie = header === undefined ? sessionCookieOf(c) : undefined;
  if (header === undefined && cookie === undefined)
    throw new DomainError('unauthenticated', 'Send `Authorization: Bearer <token>`.', { code: 'missing_credentials' });
  const ctx = serviceContext(c);
  const authenticated = header !== undefined ? await bearerPrincipal(c, header) : await sessionPrincipal(c, cookie!);
  const tenant = await resolveTenant({
    ctx,
    input: { ...authenticated, requested: c.req.header('x-organization-id')?.trim() || undefined },
  });

  c.set('principal', authenticated.principal);
  c.set('tenant', tenant);
  c.set('organizationId', tenant.id);
  await next();
};
