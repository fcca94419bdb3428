import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations, type Organization } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

/** Platform administration: a super_admin sees every organization, so this is not scoped by tenant. */
export async function getOrganization({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string };
}): Promise<Organization> {
  assertCan(ctx.actor, 'organizations.manage');
  const [organization] = await ctx.services.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, input.id))
    .limit(1);
  if (!organization) throw notFound('organization');
  return organization;
}
