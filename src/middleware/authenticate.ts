import type { MiddlewareHandler } from 'hono';
import { verifyAccessToken } from '../auth/access-token.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { looksLikeApiKey } from '../auth/api-key-secret.ts';
import { assertMfa } from '../auth/mfa.ts';
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
import { requestClient } from '../routes/shared/guard.ts';
import { serviceContext } from './request-context.ts';

/**
 * Every /api/v1 request: `Authorization: Bearer <JWT | cos_ API key>` → principal (from the users or
 * api_keys table) → tenant (own organization, or X-Organization-Id for a super_admin).
 *
 * An address that failed authentication too often is refused (429) before any of that touches the
 * database; each 401 here counts against its address (docs/decisions/0029).
 *
 * Then multi-factor authentication (docs/decisions/0036): a user whose role the organization's policy lists
 * must show MFA on every request (401 insufficient_user_authentication, RFC 9470), except the few that let
 * them get it (enrol, verify). That refusal is not a failed authentication: the credential was good.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization');
  if (!header)
    throw new DomainError('unauthenticated', 'Send `Authorization: Bearer <token>`.', { code: 'missing_credentials' });
  const ctx = serviceContext(c);
  const address = clientAddressKey(c.req.header('cf-connecting-ip'));
  const keySetDeps = { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger };
  const token = bearerCredential(header);

  let authenticated: Authenticated;
  try {
    if (!token)
      throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <token>`.', {
        code: 'invalid_token',
      });
    if (looksLikeApiKey(token)) {
      await assertAuthenticationAllowed({ ctx, input: { address } });
      authenticated = await resolveApiKeyPrincipal({ ctx, input: { secret: token } });
    } else {
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
      authenticated = await resolveUserPrincipal({
        ctx,
        input: { ...verified.value, client: requestClient(c), credentialDigest: digest.value },
      });
    }
  } catch (err) {
    if (isAuthenticationFailure(err)) await recordAuthenticationFailure({ ctx, input: { address } });
    throw err;
  }

  const tenant = await resolveTenant({
    ctx,
    input: { ...authenticated, requested: c.req.header('x-organization-id')?.trim() || undefined },
  });

  c.set('principal', authenticated.principal);
  c.set('tenant', tenant);
  c.set('organizationId', tenant.id);
  if (!isStepUpOperation(c.req.method, c.req.path))
    assertMfa(authenticated.principal, tenant.mfaPolicy, c.get('config').mfa.recognition, new Date());
  await next();
};
