import type { Bindings } from '../src/config.ts';
import { eventCatalogue, parseEvent, type EventType, type ParsedMessage } from '../src/events/catalogue.ts';
import { contentEventTypes, type ContentEventType } from '../src/events/content.ts';
import {
  DELIVERY_TOKEN_CREATED_EVENT,
  DELIVERY_TOKEN_REVOKED_EVENT,
  DELIVERY_TOKEN_USED_EVENT,
  ORGANIZATION_DELIVERY_CHANGED_EVENT,
} from '../src/events/delivery-access.ts';
import { ENGAGEMENT_BATCH_EVENT } from '../src/events/engagement.ts';
import type { EventEnvelope } from '../src/events/envelope.ts';
import { HEARTBEAT_EVENT } from '../src/events/system.ts';
import { WEBHOOK_DELIVERY_JOB } from '../src/events/webhooks.ts';
import { WHOLE_MESSAGE } from '../src/db/schema/index.ts';
import { describe } from '../src/lib/logger.ts';
import {
  aggregateEngagementBatch,
  ENGAGEMENT_AGGREGATE_CONSUMER,
} from '../src/services/analytics/aggregate-engagement-batch.ts';
import type { ServiceContext } from '../src/services/container.ts';
import { recordDeadLetters, type NewDeadLetters } from '../src/services/dead-letters/record-dead-letters.ts';
import {
  forgetRevokedToken,
  forgetTokenAbsence,
  recordDeliveryTokenUse,
  refreshOrganizationAccess,
} from '../src/services/delivery/delivery-access-events.ts';
import { refreshDeliveryCache } from '../src/services/delivery/refresh-delivery-cache.ts';
import {
  definitionsOf,
  on,
  once,
  recordsItself,
  repeatable,
  type EventRoute,
  type RouteTable,
} from '../src/services/events/effects.ts';
import { pendingEffects, runEffects } from '../src/services/events/run-effects.ts';
import { recordQueueHeartbeat } from '../src/services/system/heartbeat.ts';
import { attemptWebhookDelivery } from '../src/services/webhooks/attempt-delivery.ts';
import { fanOutEvent } from '../src/services/webhooks/fan-out-event.ts';
import { createBackgroundContext } from './background-context.ts';

/** Every type of the catalogue with its route: leaving one out does not compile. */
export type EventRoutes = { readonly [T in EventType]: EventRoute<(typeof eventCatalogue)[T]> };

/** What happens downstream of every content event: the edge cache and the webhooks, each on its own. */
const contentRoutes = Object.fromEntries(
  contentEventTypes.map((type) => [
    type,
    on(eventCatalogue[type], {
      // KV gets what Postgres says is live now (a tombstone when nothing is), and lists a new epoch.
      'delivery-cache': once(refreshDeliveryCache),
      // One delivery per matching webhook of the event's organization, each sent by its own job.
      webhooks: once(fanOutEvent),
    }),
  ]),
) as { readonly [T in ContentEventType]: EventRoute<(typeof eventCatalogue)[T]> };

/**
 * The consumer as a table: event type → named effects. An effect runs once per event id whatever the
 * queue redelivers (its ledger says who remembers: services/events/effects.ts); effects of one event run
 * side by side, a failing one is retried with the message while those done are skipped, and once the
 * queue gives up each effect still pending is parked as its own dead letter.
 */
export const eventRoutes: EventRoutes = {
  ...contentRoutes,
  // Delivery access lives in KV; these keep it in step with Postgres, fenced against fills (ADR 0031). A
  // revocation or access change sends itself again 90 s later (a new event id, so it runs again here).
  [DELIVERY_TOKEN_CREATED_EVENT]: on(eventCatalogue[DELIVERY_TOKEN_CREATED_EVENT], {
    'edge-access': once(forgetTokenAbsence),
  }),
  [DELIVERY_TOKEN_REVOKED_EVENT]: on(eventCatalogue[DELIVERY_TOKEN_REVOKED_EVENT], {
    'edge-access': once(forgetRevokedToken),
  }),
  [ORGANIZATION_DELIVERY_CHANGED_EVENT]: on(eventCatalogue[ORGANIZATION_DELIVERY_CHANGED_EVENT], {
    'edge-access': once(refreshOrganizationAccess),
  }),
  // last_used_at only moves forward, so a repeat is harmless and cheaper than a processed_events row per use.
  [DELIVERY_TOKEN_USED_EVENT]: on(eventCatalogue[DELIVERY_TOKEN_USED_EVENT], {
    'token-use': repeatable(recordDeliveryTokenUse),
  }),
  // Claims the batch id and counts in one transaction (exactly once), under this same name.
  [ENGAGEMENT_BATCH_EVENT]: on(eventCatalogue[ENGAGEMENT_BATCH_EVENT], {
    [ENGAGEMENT_AGGREGATE_CONSUMER]: recordsItself((event, ctx) => aggregateEngagementBatch({ ctx, input: { event } })),
  }),
  // One attempt, guarded by the delivery's job token; failures are rescheduled by the delivery itself.
  [WEBHOOK_DELIVERY_JOB]: on(eventCatalogue[WEBHOOK_DELIVERY_JOB], {
    'webhook-attempt': repeatable((event, ctx) => attemptWebhookDelivery({ ctx, input: event.data })),
  }),
  [HEARTBEAT_EVENT]: on(eventCatalogue[HEARTBEAT_EVENT], {
    'queue-heartbeat': repeatable((event, ctx) => recordQueueHeartbeat({ ctx, input: { event } })),
  }),
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

type Fields = Record<string, unknown>;

/** What to park for a message that cannot be handled as it is (malformed, or of a type nobody handles). */
function unhandled(message: Message<unknown>, parsed: Exclude<ParsedMessage, { status: 'ok' }>): NewDeadLetters {
  const envelope = parsed.envelope;
  return {
    eventId: envelope?.id ?? `message:${message.id}`,
    eventType: envelope?.type ?? null,
    organizationId: envelope?.organizationId ?? null,
    body: message.body,
    reason: parsed.status,
    effects: [WHOLE_MESSAGE],
    error:
      parsed.status === 'malformed'
        ? `malformed message: ${parsed.issues.join('; ')}`
        : `no consumer handles events of type ${parsed.envelope.type}`,
  };
}

/**
 * One message of the main queue. Acked when every effect is done; retried with backoff when any failed
 * (the queue moves it to the DLQ after max_retries). A message that cannot be handled as it is, malformed
 * or of an unknown type (a newer producer during a deploy), is parked as a dead letter and only then
 * acked: the cron re-drives an unknown type once a consumer knows it, and a person sees the malformed.
 */
async function handleMessage(message: Message<unknown>, ctx: ServiceContext, routes: RouteTable, fields: Fields) {
  const parsed = parseEvent(message.body, definitionsOf(routes));
  if (parsed.status !== 'ok') {
    await recordDeadLetters({ ctx, input: unhandled(message, parsed) });
    message.ack();
    if (parsed.envelope) queueObserver.settled?.(parsed.envelope, 'acked');
    return;
  }
  const { event } = parsed;
  const eventFields = { ...fields, eventId: event.id, eventType: event.type, organizationId: event.organizationId };
  const outcome = await runEffects(event, routes[event.type]!, ctx);
  if (outcome.failed.length === 0) {
    message.ack();
    ctx.logger.log('debug', 'queue event handled', eventFields);
    queueObserver.settled?.(event, 'acked');
    return;
  }
  const delaySeconds = retryDelaySeconds(message.attempts);
  for (const failure of outcome.failed) {
    ctx.logger.log('warn', 'queue event effect failed; will retry', {
      ...eventFields,
      effect: failure.effect,
      done: outcome.done,
      delaySeconds,
      error: describe(failure.error),
    });
  }
  message.retry({ delaySeconds });
  queueObserver.settled?.(event, 'retried');
}

/**
 * One message of the DLQ: the queue gave up on it. Each of its effects not recorded done becomes a dead
 * letter the cron re-drives and a super_admin can list and replay; the message is acked only once they
 * are written (the DLQ consumer retries otherwise, for up to a day).
 */
async function parkExhausted(message: Message<unknown>, ctx: ServiceContext, routes: RouteTable, fields: Fields) {
  const parsed = parseEvent(message.body, definitionsOf(routes));
  if (parsed.status !== 'ok') {
    await recordDeadLetters({ ctx, input: unhandled(message, parsed) });
    message.ack();
    return;
  }
  const { event } = parsed;
  const route = routes[event.type]!;
  const pending = await pendingEffects(event, route, ctx);
  if (pending.length > 0) {
    await recordDeadLetters({
      ctx,
      input: {
        eventId: event.id,
        eventType: event.type,
        organizationId: event.organizationId,
        body: message.body,
        reason: 'effect_failed',
        effects: pending,
        error: 'the queue gave up after its retries; each failure is in the consumer log under this eventId',
      },
    });
  } else {
    ctx.logger.log('info', 'queue dead letter already handled', { ...fields, eventId: event.id });
  }
  message.ack();
}

/**
 * Each message on its own: whatever one message does (fail, throw, hang up its dead-letter write), the
 * others of the batch are still handled and settled. A message whose handling throws is retried.
 */
export async function processBatch(
  batch: MessageBatch<unknown>,
  ctx: ServiceContext,
  routes: RouteTable = eventRoutes,
): Promise<void> {
  const exhausted = isDeadLetterQueue(batch.queue);
  for (const message of batch.messages) {
    const fields = { queue: batch.queue, messageId: message.id, attempts: message.attempts };
    try {
      if (exhausted) await parkExhausted(message, ctx, routes, fields);
      else await handleMessage(message, ctx, routes, fields);
    } catch (err) {
      const delaySeconds = retryDelaySeconds(message.attempts);
      ctx.logger.log('error', 'queue message could not be handled or parked; will retry', {
        ...fields,
        delaySeconds,
        error: describe(err),
      });
      message.retry({ delaySeconds });
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
    await processBatch(batch, ctx, eventRoutes);
  } finally {
    execution.waitUntil(ctx.services.dispose());
  }
}
