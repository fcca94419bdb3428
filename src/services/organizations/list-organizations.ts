import { desc, ilike, or } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations, type Organization } from '../../db/schema/index.ts';
import { likeContains, selectPage } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';

export interface ListOrganizationsInput {
  page: number;
  limit: number;
  /** Case-insensitive substring of the name or the slug. */
  q?: string | undefined;
}

/** Every organization on the platform (super_admin only), newest first. */
export async function listOrganizations({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListOrganizationsInput;
}): Promise<{ items: Organization[]; total: number }> {
  assertCan(ctx.actor, 'organizations.manage');
  const where = input.q
    ? or(ilike(organizations.name, likeContains(input.q)), ilike(organizations.slug, likeContains(input.q)))
    : undefined;
  const { db } = ctx.services;
  return selectPage(db, organizations, where, [desc(organizations.createdAt), desc(organizations.id)], input);
}
