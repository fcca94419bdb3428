import type { Bindings } from '../src/config.ts';
import { ENGAGEMENT_BATCH_EVENT } from '../src/events/engagement.ts';
import { eventEnvelopeSchema, type EventEnvelope } from '../src/events/envelope.ts';
import { describe } from '../src/lib/logger.ts';
import { aggregateEngagementBatch } from '../src/services/analytics/aggregate-engagement-batch.ts';
import type { ServiceContext } from '../src/services/container.ts';
import {
  DELIVERY_TOKEN_CREATED_EVENT,
  DELIVERY_TOKEN_REVOKED_EVENT,
  forgetRevokedToken,
  forgetTokenAbsence,
  ORGANIZATION_DELIVERY_CHANGED_EVENT,
  recordDeliveryTokenUse,
  refreshOrganizationAccess,
} from '../src/services/delivery/delivery-access-events.ts';
import { refreshDeliveryCache } from '../src/services/delivery/refresh-delivery-cache.ts';
import { DELIVERY_TOKEN_USED_EVENT } from '../src/services/delivery/resolve-delivery-access.ts';
import { contentEventTypes } from '../src/services/outbox/enqueue-event.ts';
import { idempotent, type EventEffect } from '../src/services/outbox/idempotent-consumer.ts';
import { HEARTBEAT_EVENT, recordQueueHeartbeat } from '../src/services/system/heartbeat.ts';
import { attemptWebhookDelivery } from '../src/services/webhooks/attempt-delivery.ts';
import { deliveryJobSchema, WEBHOOK_DELIVERY_JOB } from '../src/services/webhooks/delivery-jobs.ts';
import { fanOutEvent } from '../src/services/webhooks/fan-out-event.ts';
import { createBackgroundContext } from './background-context.ts';

export type EventHandler = (event: EventEnvelope, ctx: ServiceContext) => Promise<void>;
export type EventHandlers = Readonly<Record<string, EventHandler>>;

/**
 * What happens downstream of a content event (delivery cache refresh, webhooks): each effect runs once
 * per event id whatever the queue redelivers. Each is recorded under its own name, so one that failed
 * is retried with the message while those already done are skipped.
 */
export const contentEffects: Readonly<Record<string, EventEffect>> = {
  'delivery-cache': async (event, ctx) => {
    await refreshDeliveryCache(event, ctx);
  },
  // One delivery per matching webhook of the event's organization, each sent by its own job.
  webhooks: async (event, ctx) => {
    await fanOutEvent(event, ctx);
  },
};

/** Handlers by event type. */
export const eventHandlers: EventHandlers = {
  [HEARTBEAT_EVENT]: async (event, ctx) => {
    await recordQueueHeartbeat({ ctx, input: { event } });
  },
  // Delivery access lives in KV; these keep it in step with Postgres (each is safe to repeat).
  [DELIVERY_TOKEN_CREATED_EVENT]: forgetTokenAbsence,
  [DELIVERY_TOKEN_REVOKED_EVENT]: forgetRevokedToken,
  [ORGANIZATION_DELIVERY_CHANGED_EVENT]: refreshOrganizationAccess,
  [DELIVERY_TOKEN_USED_EVENT]: recordDeliveryTokenUse,
  [ENGAGEMENT_BATCH_EVENT]: async (event, ctx) => {
    await aggregateEngagementBatch({ ctx, input: { event } });
  },
  // One attempt; failures are rescheduled by the delivery itself, not by retrying the message.
  [WEBHOOK_DELIVERY_JOB]: async (event, ctx) => {
    const job = deliveryJobSchema.safeParse(event.data);
    if (!job.success) return void ctx.logger.log('error', 'webhook job rejected: malformed', { eventId: event.id });
    await attemptWebhookDelivery({ ctx, input: job.data });
  },
  ...Object.fromEntries(
    contentEventTypes.map((type) => [
      type,
      async (event: EventEnvelope, ctx: ServiceContext) => {
        for (const [name, effect] of Object.entries(contentEffects)) await idempotent(name, effect)(event, ctx);
      },
    ]),
  ),
};

/** Exponential backoff for retried messages: 5 s, 10 s, 20 s … capped at 15 min. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(900, 5 * 2 ** Math.max(0, attempts - 1));
}

export const isDeadLetterQueue = (queue: string) => queue.endsWith('-dlq');

export type SettledOutcome = 'acked' | 'retried';

/**
 * Told of every event once the consumer has settled its message. Nothing listens in production (the
 * cost is one property read per message); tests listen so that they can prove something did NOT happen
 * (a redelivery counted twice) once the consumer has seen every message, instead of sleeping.
 */
export const queueObserver: { settled?: (event: EventEnvelope, outcome: SettledOutcome) => void } = {};

/**
 * At-least-once delivery: each message is acked on success, retried with backoff on failure (the
 * queue moves it to the DLQ after max_retries), and acked with an error log when it can never succeed
 * (malformed envelope). Unknown types are acked so an older consumer never loops on newer producers.
 */
export async function processBatch(
  batch: MessageBatch<unknown>,
  ctx: ServiceContext,
  handlers: EventHandlers,
): Promise<void> {
  const deadLetters = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) {
    const parsed = eventEnvelopeSchema.safeParse(message.body);
    const fields = { queue: batch.queue, messageId: message.id, attempts: message.attempts };
    if (!parsed.success) {
      ctx.logger.log('error', 'queue message rejected: not an event envelope', {
        ...fields,
        issues: parsed.error.issues.map((i) => i.message),
      });
      message.ack();
      continue;
    }
    const event = parsed.data;
    const eventFields = { ...fields, eventId: event.id, eventType: event.type, organizationId: event.organizationId };
    if (deadLetters) {
      // Retries are exhausted; the log line is the alert, with everything needed to replay by hand.
      ctx.logger.log('error', 'queue dead letter', { ...eventFields, event });
      message.ack();
      continue;
    }
    const handler = handlers[event.type];
    if (!handler) {
      ctx.logger.log('warn', 'queue event has no handler', eventFields);
      message.ack();
      continue;
    }
    try {
      await handler(event, ctx);
      message.ack();
      ctx.logger.log('debug', 'queue event handled', eventFields);
      queueObserver.settled?.(event, 'acked');
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      ctx.logger.log('warn', 'queue event failed; will retry', { ...eventFields, delaySeconds, error: describe(err) });
      message.retry({ delaySeconds });
      queueObserver.settled?.(event, 'retried');
    }
  }
}

export async function handleQueue(
  batch: MessageBatch<unknown>,
  env: Bindings,
  execution: ExecutionContext,
): Promise<void> {
  const ctx = createBackgroundContext(env, { trigger: 'queue', queue: batch.queue });
  try {
    await processBatch(batch, ctx, eventHandlers);
  } finally {
    execution.waitUntil(ctx.services.dispose());
  }
}
