import type { MiddlewareHandler } from 'hono';
import { can } from '../../auth/permissions.ts';
import type { AppEnv } from '../../env.ts';
import { requirePermission } from '../shared/guard.ts';

const requireUpdateOwn = requirePermission('content.update_own');

/**
 * PUT is "owner or editor": the route can only tell that the role may edit some content (content.update,
 * or content.update_own); whether this item is the caller's own is the service's call, once it has the row.
 */
export const requireContentEdit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.var.principal;
  if (principal && can(principal.role, 'content.update')) return next();
  return requireUpdateOwn(c, next);
};
