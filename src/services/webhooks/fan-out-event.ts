import { and, eq, isNull } from 'drizzle-orm';
import { webhookDeliveries, webhooks } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';
import { enqueueDeliveries } from './delivery-jobs.ts';
import { matchesEventTypes } from './event-types.ts';
import { webhookPayload } from './payload.ts';

/**
 * The `webhooks` effect of a content event: one delivery per active webhook of the event's own
 * organization whose subscriptions match, then a queue job for each. Safe to repeat: (event, webhook) is
 * unique, and deliveries still waiting for their first job (a crash between insert and send) get it now.
 */
export async function fanOutEvent(
  event: EventEnvelope,
  ctx: ServiceContext,
  now: Date = new Date(),
): Promise<{ deliveries: number }> {
  const organizationId = event.organizationId;
  if (!organizationId) return { deliveries: 0 };
  const { db } = ctx.services;
  const candidates = await db
    .select({ id: webhooks.id, eventTypes: webhooks.eventTypes })
    .from(webhooks)
    .where(and(eq(webhooks.organizationId, organizationId), eq(webhooks.active, true)));
  const targets = candidates.filter((hook) => matchesEventTypes(hook.eventTypes, event.type));
  if (targets.length > 0) {
    const payload = webhookPayload({ ...event, organizationId });
    await db
      .insert(webhookDeliveries)
      .values(
        targets.map((hook) => ({
          organizationId,
          webhookId: hook.id,
          eventId: event.id,
          eventType: event.type,
          payload,
          nextAttemptAt: now,
        })),
      )
      .onConflictDoNothing();
  }
  const waiting = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.eventId, event.id),
        eq(webhookDeliveries.organizationId, organizationId),
        eq(webhookDeliveries.status, 'pending'),
        isNull(webhookDeliveries.queuedAt),
      ),
    );
  await enqueueDeliveries({ ctx, input: { ids: waiting.map((row) => row.id), now } });
  return { deliveries: targets.length };
}
