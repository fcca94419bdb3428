import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhookDeliveries } from '../../db/schema/index.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { enqueueDeliveries } from './delivery-jobs.ts';
import { WEBHOOK_TEST_EVENT } from './event-types.ts';
import { withAttempts, type DeliveryView } from './list-webhook-deliveries.ts';
import { findWebhook } from './webhook-view.ts';
import { webhookRuleViolation } from './webhook-rules.ts';

/**
 * Sends a finished delivery (succeeded or dead-lettered) again, on a fresh retry schedule. It is the same
 * message: same body and the same webhook-id, so a receiver that already processed it can tell. A
 * delivery still in progress is a 409; a webhook that is off must be turned on first (422).
 */
export async function replayWebhookDelivery({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { webhookId: string; deliveryId: string };
}): Promise<DeliveryView> {
  assertCan(ctx.actor, 'webhooks.manage');
  const now = new Date();
  const delivery = await ctx.services.db.transaction(async (tx) => {
    const webhook = await findWebhook(tx, ctx.organizationId, input.webhookId);
    const [before] = await tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.id, input.deliveryId),
          eq(webhookDeliveries.webhookId, webhook.id),
          eq(webhookDeliveries.organizationId, ctx.organizationId),
        ),
      )
      .for('update');
    if (!before) throw notFound('webhook delivery');
    if (before.status === 'pending' || before.status === 'sending') {
      throw new DomainError(
        'conflict',
        'This delivery is still being attempted; replay it once it has succeeded or been dead-lettered.',
        { code: 'delivery_in_progress' },
      );
    }
    if (!webhook.active && before.eventType !== WEBHOOK_TEST_EVENT) {
      throw webhookRuleViolation(
        'webhook_inactive',
        'The webhook is turned off; turn it on (PATCH active: true) before replaying.',
        'path.id',
      );
    }
    const [after] = await tx
      .update(webhookDeliveries)
      .set({
        status: 'pending',
        cycleAttempts: 0,
        nextAttemptAt: now,
        queuedAt: null,
        jobToken: null,
        succeededAt: null,
      })
      .where(eq(webhookDeliveries.id, before.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'webhook.delivery_replay',
      entityType: 'webhook_delivery',
      entityId: before.id,
      before: { status: before.status },
      after: { status: after!.status, webhookId: webhook.id, eventId: before.eventId },
    });
    return after!;
  });
  ctx.services.defer(() => enqueueDeliveries({ ctx, input: { ids: [delivery.id], now } }));
  const [view] = await withAttempts(ctx, [delivery]);
  return view!;
}
