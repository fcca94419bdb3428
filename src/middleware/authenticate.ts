import type { MiddlewareHandler } from 'hono';
import { verifyAccessToken } from '../auth/access-token.ts';
import { bearerCredential } from '../auth/bearer.ts';
import { looksLikeApiKey } from '../auth/api-key-secret.ts';
import type { AppEnv } from '../app-env.ts';
import { DomainError } from '../lib/errors.ts';
import { resolveApiKeyPrincipal, resolveTenant, resolveUserPrincipal } from '../services/identity/resolve-principal.ts';
import { requestClient } from '../routes/shared/guard.ts';
import { serviceContext } from './request-context.ts';

/**
 * Every /api/v1 request: `Authorization: Bearer <JWT | cos_ API key>` → principal (from the users or
 * api_keys table) → tenant (own organization, or X-Organization-Id for a super_admin).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization');
  if (!header)
    throw new DomainError('unauthenticated', 'Send `Authorization: Bearer <token>`.', { code: 'missing_credentials' });
  const token = bearerCredential(header);
  if (!token)
    throw new DomainError('unauthenticated', 'The Authorization header must be `Bearer <token>`.', {
      code: 'invalid_token',
    });

  const ctx = serviceContext(c);
  const keySetDeps = { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger };
  const authenticated = looksLikeApiKey(token)
    ? await resolveApiKeyPrincipal({ ctx, input: { secret: token } })
    : await resolveUserPrincipal({
        ctx,
        input: { ...(await verifyAccessToken(token, c.get('config'), keySetDeps)), client: requestClient(c) },
      });
  const tenant = await resolveTenant({
    ctx,
    input: { ...authenticated, requested: c.req.header('x-organization-id')?.trim() || undefined },
  });

  c.set('principal', authenticated.principal);
  c.set('tenant', tenant);
  c.set('organizationId', tenant.id);
  await next();
};
