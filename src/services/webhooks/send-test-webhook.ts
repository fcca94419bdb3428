import { assertCan } from '../../auth/assert.ts';
import { webhookDeliveries } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { enqueueDeliveries } from './delivery-jobs.ts';
import { WEBHOOK_TEST_EVENT } from './event-types.ts';
import type { DeliveryView } from './list-webhook-deliveries.ts';
import { webhookPayload } from './payload.ts';
import { findWebhook } from './webhook-view.ts';

/**
 * A `webhook.test` event for this webhook alone, whatever it subscribes to and even while it is off (to
 * check an endpoint before turning it back on). Delivered, signed, retried and logged like any other.
 */
export async function sendTestWebhook({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string };
}): Promise<DeliveryView> {
  assertCan(ctx.actor, 'webhooks.manage');
  const now = new Date();
  const delivery = await ctx.services.db.transaction(async (tx) => {
    const webhook = await findWebhook(tx, ctx.organizationId, input.id);
    const eventId = crypto.randomUUID();
    const payload = webhookPayload({
      id: eventId,
      type: WEBHOOK_TEST_EVENT,
      organizationId: ctx.organizationId,
      occurredAt: now.toISOString(),
      data: {
        webhookId: webhook.id,
        message: 'A test event from ContentOS: answer 2xx to pass.',
        actor: { type: ctx.actor.type, id: ctx.actor.id },
      },
    });
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({
        organizationId: ctx.organizationId,
        webhookId: webhook.id,
        eventId,
        eventType: WEBHOOK_TEST_EVENT,
        payload,
        nextAttemptAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'webhook.test',
      entityType: 'webhook',
      entityId: webhook.id,
      before: null,
      after: { deliveryId: row!.id, eventId },
    });
    return row!;
  });
  ctx.services.defer(() => enqueueDeliveries({ ctx, input: { ids: [delivery.id], now } }));
  return { delivery, attempts: [] };
}
