import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizations } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { ORGANIZATION_DELIVERY_CHANGED_EVENT } from '../../events/delivery-access.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';

/**
 * What an organization may set (the table's check constraints hold the same bounds): up to 1,000 requests
 * a second from one address, 10,000 a second with one token.
 */
export const DELIVERY_RATE_LIMIT_BOUNDS = {
  requestsPerIpPerMinute: { min: 1, max: 60_000 },
  requestsPerTokenPerMinute: { min: 1, max: 600_000 },
} as const;

/** The organization's own delivery API limits; null means the platform default (docs/decisions/0029). */
export interface DeliveryRateLimits {
  requestsPerIpPerMinute: number | null;
  requestsPerTokenPerMinute: number | null;
}

/** How the organization's published content is read through the delivery API. */
export interface DeliverySettings {
  slug: string;
  /** Served without a delivery token when true. */
  publicAccess: boolean;
  rateLimits: DeliveryRateLimits;
}

const settingsColumns = {
  slug: organizations.slug,
  publicAccess: organizations.deliveryPublic,
  rateLimits: {
    requestsPerIpPerMinute: organizations.deliveryRateLimitPerIpPerMinute,
    requestsPerTokenPerMinute: organizations.deliveryRateLimitPerTokenPerMinute,
  },
};

const unchanged = (before: DeliverySettings, after: Omit<DeliverySettings, 'slug'>) =>
  before.publicAccess === after.publicAccess &&
  before.rateLimits.requestsPerIpPerMinute === after.rateLimits.requestsPerIpPerMinute &&
  before.rateLimits.requestsPerTokenPerMinute === after.rateLimits.requestsPerTokenPerMinute;

export async function getDeliverySettings({ ctx }: { ctx: TenantContext }): Promise<DeliverySettings> {
  assertCan(ctx.actor, 'delivery_tokens.manage');
  const [settings] = await ctx.services.db
    .select(settingsColumns)
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId))
    .limit(1);
  if (!settings) throw notFound('organization');
  return settings;
}

/**
 * Audited; a change that changes nothing writes nothing. The outbox event rewrites the slug's KV entry,
 * so the edge follows within a queue delivery rather than at the entry's TTL. Rate limits left out of the
 * input stay as they are (a client that only switches public access keeps them).
 */
export async function updateDeliverySettings({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { publicAccess: boolean; rateLimits?: DeliveryRateLimits | undefined };
}): Promise<DeliverySettings> {
  assertCan(ctx.actor, 'delivery_tokens.manage');
  const { settings, eventId } = await ctx.services.db.transaction(async (tx) => {
    const [before] = await tx
      .select(settingsColumns)
      .from(organizations)
      .where(eq(organizations.id, ctx.organizationId))
      // Not FOR UPDATE: that would stall every audit entry's foreign key to this row, and the audit entry
      // below waits for theirs, a deadlock (tests/worker/organizations/row-lock-and-audit.test.ts).
      .for('no key update');
    if (!before) throw notFound('organization');
    const wanted = { publicAccess: input.publicAccess, rateLimits: input.rateLimits ?? before.rateLimits };
    if (unchanged(before, wanted)) return { settings: before, eventId: null };
    const [after] = await tx
      .update(organizations)
      .set({
        deliveryPublic: wanted.publicAccess,
        deliveryRateLimitPerIpPerMinute: wanted.rateLimits.requestsPerIpPerMinute,
        deliveryRateLimitPerTokenPerMinute: wanted.rateLimits.requestsPerTokenPerMinute,
      })
      .where(eq(organizations.id, ctx.organizationId))
      .returning(settingsColumns);
    if (!after) throw notFound('organization');
    await recordAudit(tx, ctx, {
      action: 'organization.delivery_settings_update',
      entityType: 'organization',
      entityId: ctx.organizationId,
      before,
      after,
    });
    const id = await enqueueEvent(tx, ctx, ORGANIZATION_DELIVERY_CHANGED_EVENT, { slugs: [after.slug] });
    return { settings: after, eventId: id };
  });
  if (eventId) relayAfterCommit(ctx, [eventId]);
  return settings;
}
