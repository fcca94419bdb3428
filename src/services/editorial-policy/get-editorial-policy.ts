import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { loadEditorialPolicy, type EditorialPolicy } from '../organizations/policy.ts';

/** Everyone who may read the organization's content may read the rules it is held to. */
export async function getEditorialPolicy({ ctx }: { ctx: TenantContext }): Promise<EditorialPolicy> {
  assertCan(ctx.actor, 'content.read');
  return loadEditorialPolicy(ctx.services.db, ctx.organizationId);
}
