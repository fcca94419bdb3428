import { z } from 'zod';
import { defineEvent, type EventOf } from './define.ts';

/** The queue message that asks for one attempt of one webhook delivery (services/webhooks/delivery-jobs.ts). */
export const WEBHOOK_DELIVERY_JOB = 'webhook.delivery';
/** The token is the delivery's current job token: only the newest job for a delivery can claim it. */
export const deliveryJobSchema = z.object({ deliveryId: z.uuid(), token: z.uuid() });
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

export const webhookDeliveryJobEvent = defineEvent(WEBHOOK_DELIVERY_JOB, 'organization', deliveryJobSchema);
export type WebhookDeliveryJob = EventOf<typeof webhookDeliveryJobEvent>;
