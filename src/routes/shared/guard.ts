import type { Context, MiddlewareHandler } from 'hono';
import { assertCan } from '../../auth/assert.ts';
import { can, type Action } from '../../auth/permissions.ts';
import { actorOf } from '../../auth/principal.ts';
import type { AppEnv } from '../../app-env.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../../services/container.ts';
import { serviceContext } from '../../middleware/request-context.ts';

const notAuthenticated = () =>
  new DomainError('unauthenticated', 'Send `Authorization: Bearer <token>`.', { code: 'missing_credentials' });

export type PermissionGuard = MiddlewareHandler<AppEnv> & { readonly permissions: readonly Action[] };

/**
 * Route middleware: the permission check runs before the request is even validated. With several
 * actions, any one suffices (PUT content: content.update or content.update_own; the service then
 * checks ownership). The guard carries its actions so the role-matrix test reads them from the app.
 */
export function requirePermission(...permissions: [Action, ...Action[]]): PermissionGuard {
  const guard: MiddlewareHandler<AppEnv> = async (c, next) => {
    const principal = c.get('principal');
    if (!principal) throw notAuthenticated();
    const actor = actorOf(principal);
    if (!permissions.some((action) => can(actor.permissions, action))) assertCan(actor, permissions[0]);
    await next();
  };
  return Object.assign(guard, { permissions });
}

// Cloudflare sets CF-Connecting-IP and clients cannot override it; still, only an address reaches the inet column.
const IPV6 = /^(?=.*:)[0-9a-f:]{2,39}$/i;
function clientIp(value: string | undefined): string | null {
  if (!value) return null;
  const octets = value.split('.');
  const ipv4 = octets.length === 4 && octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255);
  return ipv4 || (IPV6.test(value) && (value.match(/::/g) ?? []).length <= 1) ? value : null;
}

/** Who is on the other end, as far as the audit log records it. */
export const requestClient = (c: Context<AppEnv>) => ({
  ip: clientIp(c.req.header('cf-connecting-ip')),
  userAgent: c.req.header('user-agent')?.slice(0, 512) ?? null,
});

/** The service context of an authenticated request: actor, organization and client details for audit. */
export function tenantContext(c: Context<AppEnv>): TenantContext {
  const principal = c.get('principal');
  const tenant = c.get('tenant');
  if (!principal || !tenant) throw notAuthenticated();
  return {
    ...serviceContext(c),
    actor: actorOf(principal),
    organizationId: tenant.id,
    client: requestClient(c),
  };
}
