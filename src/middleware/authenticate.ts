import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { verifyAccessToken } from '../auth/access-token.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { looksLikeApiKey } from '../auth/api-key-secret.ts';
import { assertSameSiteRequest } from '../auth/csrf.ts';
import { assertMfa } from '../auth/mfa.ts';
import { cookieName, SESSION_COOKIE, securedCookies } from '../auth/session-cookie.ts';
import type { AppEnv } from '../app-env.ts';
import { DomainError } from '../lib/errors.ts';
import { sha256Hex } from '../lib/sha256.ts';
import { isStepUpOperation } from '../routes/me/mfa/step-up-operations.ts';
import {
  resolveApiKeyPrincipal,
  resolveTenant,
  resolveUserPrincipal,
  type Authenticated,
} from '../services/identity/resolve-principal.ts';
import {
  assertAuthenticationAllowed,
  isAuthenticationFailure,
  recordAuthenticationFailure,
} from '../services/rate-limit/auth-failures.ts';
import { clientAddressKey } from '../services/rate-limit/client-address.ts';
import { resolveSessionPrincipal } from '../services/sessions/resolve-session.ts';
import { requestClient } from '../routes/shared/guard.ts';
import { serviceContext } from './request-context.ts';

/** The session cookie of this request, under the name its scheme allows (docs/decisions/0035). */
export const sessionCookieOf = (c: Context<AppEnv>): string | undefined =>
  getCookie(c, cookieName(SESSION_COOKIE, securedCookies(c.get('config'), c.req.url)));

async function bearerPrincipal(c: Context<AppEnv>, header: string, address: string): Promise<Authenticated> {
  const token = bearerCredential(header);
  if (!token)
    throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <token>`.', {
      code: 'invalid_token',
    });
  const ctx = serviceContext(c);
  if (looksLikeApiKey(token)) {
    await assertAuthenticationAllowed({ ctx, input: { address } });
    return resolveApiKeyPrincipal({ ctx, input: { secret: token } });
  }
  const keySetDeps = { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger };
  // The signature check needs no database: it runs while Redis answers whether this address may try,
  // and with the token's digest (which a built-in MFA verification is keyed on).
  const [verified, allowed, digest] = await Promise.allSettled([
    verifyAccessToken(token, c.get('config'), keySetDeps),
    assertAuthenticationAllowed({ ctx, input: { address } }),
    sha256Hex(token),
  ]);
  if (allowed.status === 'rejected') throw allowed.reason;
  if (verified.status === 'rejected') throw verified.reason;
  if (digest.status === 'rejected') throw digest.reason;
  return resolveUserPrincipal({
    ctx,
    input: { ...verified.value, client: requestClient(c), credentialDigest: digest.value },
  });
}

async function sessionPrincipal(c: Context<AppEnv>, secret: string, address: string): Promise<Authenticated> {
  // Checked before the database: a forged cross-site change costs no round trip.
  assertSameSiteRequest(c.req);
  const ctx = serviceContext(c);
  // An unknown, ended or malformed cookie is a failed authentication like a bad token: without the limit a
  // stream of random cookies would cost one session lookup each (docs/decisions/0029, 0035).
  await assertAuthenticationAllowed({ ctx, input: { address } });
  const { session, ...authenticated } = await resolveSessionPrincipal({ ctx, input: { secret } });
  c.set('session', session);
  return authenticated;
}

/**
 * Every /api/v1 request: `Authorization: Bearer <JWT | cos_ API key>`, or else the browser's session cookie
 * (with the CSRF check on changes) → principal (from the users, api_keys or auth_sessions table) → tenant
 * (own organization, or X-Organization-Id for a super_admin). A bearer credential wins over a cookie.
 *
 * An address that failed authentication too often is refused (429) before any of that touches the
 * database; each 401 here counts against its address (docs/decisions/0029).
 *
 * Then multi-factor authentication (docs/decisions/0036): a user whose role the organization's policy lists
 * must show MFA on every request, by token or session (401 insufficient_user_authentication: RFC 9470 for a
 * token, a step-up sign-in for a session), except the few that let them get it (enrol, verify). That refusal
 * is not a failed authentication: the credential was good.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization');
  const cookie = header === undefined ? sessionCookieOf(c) : undefined;
  if (header === undefined && cookie === undefined)
    throw new DomainError('unauthenticated', 'Send `Authorization: Bearer <token>`.', { code: 'missing_credentials' });
  const ctx = serviceContext(c);
  const address = clientAddressKey(c.req.header('cf-connecting-ip'));

  let authenticated: Authenticated;
  try {
    authenticated =
      header !== undefined ? await bearerPrincipal(c, header, address) : await sessionPrincipal(c, cookie!, address);
  } catch (err) {
    if (isAuthenticationFailure(err)) await recordAuthenticationFailure({ ctx, input: { address } });
    throw err;
  }

  const tenant = await resolveTenant({
    ctx,
    input: { ...authenticated, requested: c.req.header('x-organization-id')?.trim() || undefined },
  });
  if (!isStepUpOperation(c.req.method, c.req.path))
    assertMfa(authenticated.principal, tenant.mfaPolicy, c.get('config').mfa.recognition, new Date());

  c.set('principal', authenticated.principal);
  c.set('tenant', tenant);
  c.set('organizationId', tenant.id);
  await next();
};
