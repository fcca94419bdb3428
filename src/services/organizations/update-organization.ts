import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations, type Organization } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { ORGANIZATION_DELIVERY_CHANGED_EVENT } from '../../events/delivery-access.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';
import { assertSlugAllowed, isUniqueViolation, organizationSnapshot, slugTaken } from './slug-rules.ts';

export interface OrganizationChanges {
  name?: string | undefined;
  slug?: string | undefined;
  /** null returns the organization to the platform default. */
  apiRateLimitPerMinute?: number | null | undefined;
}

/**
 * A rate limit change applies from the next request: the limit is read with the tenant on every call.
 * The audit row belongs to the organization changed.
 */
export async function updateOrganization({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; changes: OrganizationChanges };
}): Promise<Organization> {
  assertCan(ctx.actor, 'organizations.manage');
  const { changes } = input;
  try {
    const { organization, eventId } = await ctx.services.db.transaction(async (tx) => {
      // Not FOR UPDATE, which would stall the foreign key of every audit entry of the organization while this one
      // waits for theirs (tests/worker/organizations/row-lock-and-audit.test.ts). A new slug still takes the key
      // lock in the update itself.
      const [before] = await tx.select().from(organizations).where(eq(organizations.id, input.id)).for('no key update');
      if (!before) throw notFound('organization');
      if (changes.slug !== undefined && changes.slug !== before.slug) assertSlugAllowed(changes.slug);
      const [after] = await tx.update(organizations).set(changes).where(eq(organizations.id, before.id)).returning();
      if (!after) throw notFound('organization');
      await recordAudit(
        tx,
        { ...ctx, organizationId: before.id },
        {
          action: 'organization.update',
          entityType: 'organization',
          entityId: before.id,
          before: organizationSnapshot(before),
          after: organizationSnapshot(after),
        },
      );
      // The delivery API resolves slugs from KV: the old slug must stop resolving, the new one start.
      const eventId =
        after.slug !== before.slug
          ? await enqueueEvent(tx, { ...ctx, organizationId: before.id }, ORGANIZATION_DELIVERY_CHANGED_EVENT, {
              slugs: [before.slug, after.slug],
            })
          : null;
      return { organization: after, eventId };
    });
    if (eventId) relayAfterCommit(ctx, [eventId]);
    return organization;
  } catch (err) {
    // The unique index decides, so two renames to one slug cannot both win.
    if (changes.slug !== undefined && isUniqueViolation(err, 'organizations_slug_key')) throw slugTaken(changes.slug);
    throw err;
  }
}
