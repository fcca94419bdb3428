import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { loadSecurityPolicy, type SecurityPolicy } from './security-policy.ts';

export async function getSecurityPolicy({ ctx }: { ctx: TenantContext }): Promise<SecurityPolicy> {
  assertCan(ctx.actor, 'security.manage');
  return loadSecurityPolicy(ctx.services.db, ctx.organizationId);
}
