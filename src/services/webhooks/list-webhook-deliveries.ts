import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import {
  webhookAttempts,
  webhookDeliveries,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookDeliveryStatus,
} from '../../db/schema/index.ts';
import { selectPage, type Page, type PageRequest } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';
import { findWebhook } from './webhook-view.ts';

export interface ListWebhookDeliveriesInput extends PageRequest {
  webhookId: string;
  status?: WebhookDeliveryStatus;
  /** An event type (`content.published`, `webhook.test`) or an event id. */
  event?: string;
}

export interface DeliveryView {
  delivery: WebhookDelivery;
  attempts: WebhookAttempt[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The delivery log of one webhook, newest first, each delivery with every attempt in order. */
export async function listWebhookDeliveries({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListWebhookDeliveriesInput;
}): Promise<Page<DeliveryView>> {
  assertCan(ctx.actor, 'webhooks.manage');
  const { db } = ctx.services;
  const webhook = await findWebhook(db, ctx.organizationId, input.webhookId);
  const eventFilter =
    input.event === undefined
      ? undefined
      : UUID.test(input.event)
        ? eq(webhookDeliveries.eventId, input.event)
        : eq(webhookDeliveries.eventType, input.event);
  const where = and(
    eq(webhookDeliveries.webhookId, webhook.id),
    eq(webhookDeliveries.organizationId, ctx.organizationId),
    input.status ? eq(webhookDeliveries.status, input.status) : undefined,
    eventFilter,
  );
  const page = await selectPage(
    db,
    webhookDeliveries,
    where,
    [desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id)],
    input,
  );
  return { items: await withAttempts(ctx, page.items), total: page.total };
}

export async function withAttempts(ctx: TenantContext, deliveries: WebhookDelivery[]): Promise<DeliveryView[]> {
  if (deliveries.length === 0) return [];
  const attempts = await ctx.services.db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        deliveries.map((row) => row.id),
      ),
    )
    .orderBy(asc(webhookAttempts.number));
  return deliveries.map((delivery) => ({ delivery, attempts: attempts.filter((a) => a.deliveryId === delivery.id) }));
}
