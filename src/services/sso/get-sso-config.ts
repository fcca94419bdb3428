import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations, organizationSso, type OrganizationSso } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

export interface SsoSettings {
  /** The organization's slug: its sign-in page is `/auth/{slug}/login`. */
  slug: string;
  /** Null until an administrator configures a provider. */
  config: OrganizationSso | null;
}

export async function getSsoConfig({ ctx }: { ctx: TenantContext }): Promise<SsoSettings> {
  assertCan(ctx.actor, 'sso.manage');
  const [row] = await ctx.services.db
    .select({ slug: organizations.slug, config: organizationSso })
    .from(organizations)
    .leftJoin(organizationSso, eq(organizationSso.organizationId, organizations.id))
    .where(eq(organizations.id, ctx.organizationId));
  if (!row) throw notFound('organization');
  return row;
}
