import { assertCan } from '../../auth/assert.ts';
import { organizations, type Organization, type User } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { ORGANIZATION_DELIVERY_CHANGED_EVENT } from '../../events/delivery-access.ts';
import type { TenantContext } from '../container.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';
import { insertUser } from '../users/insert-user.ts';
import { assertSlugAllowed, organizationSnapshot, slugTaken } from './slug-rules.ts';

export interface CreateOrganizationInput {
  name: string;
  slug: string;
  apiRateLimitPerMinute?: number | null | undefined;
  /** The organization's first org_admin, created with it or not at all. */
  initialAdmin?: { email: string } | undefined;
}

/**
 * One transaction: the organization, its optional first admin, and their audit rows, which belong to
 * the new organization (that is whose history they start), not to the super_admin's own. The slug may
 * have been someone else's before a rename; the delivery event rewrites its edge entry so the edge never
 * resolves it to the previous owner.
 */
export async function createOrganization({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: CreateOrganizationInput;
}): Promise<{ organization: Organization; initialAdmin: User | null }> {
  assertCan(ctx.actor, 'organizations.manage');
  assertSlugAllowed(input.slug);
  const { created, eventId } = await ctx.services.db.transaction(async (tx) => {
    const [organization] = await tx
      .insert(organizations)
      .values({ name: input.name, slug: input.slug, apiRateLimitPerMinute: input.apiRateLimitPerMinute ?? null })
      .onConflictDoNothing({ target: organizations.slug })
      .returning();
    if (!organization) throw slugTaken(input.slug);
    const inOrganization = { ...ctx, organizationId: organization.id };
    await recordAudit(tx, inOrganization, {
      action: 'organization.create',
      entityType: 'organization',
      entityId: organization.id,
      before: null,
      after: { id: organization.id, ...organizationSnapshot(organization) },
    });
    const initialAdmin = input.initialAdmin
      ? await insertUser(tx, inOrganization, { email: input.initialAdmin.email, role: 'org_admin' })
      : null;
    const eventId = await enqueueEvent(tx, inOrganization, ORGANIZATION_DELIVERY_CHANGED_EVENT, {
      slugs: [organization.slug],
    });
    return { created: { organization, initialAdmin }, eventId };
  });
  relayAfterCommit(ctx, [eventId]);
  return created;
}
