import { contentEvents } from './content.ts';
import type { EventDefinition, EventOf } from './define.ts';
import {
  deliveryTokenCreatedEvent,
  deliveryTokenRevokedEvent,
  deliveryTokenUsedEvent,
  organizationDeliveryChangedEvent,
} from './delivery-access.ts';
import { engagementBatchEvent } from './engagement.ts';
import { eventEnvelopeSchema, type EventEnvelope } from './envelope.ts';
import { heartbeatEvent } from './system.ts';
import { webhookDeliveryJobEvent } from './webhooks.ts';

/**
 * Every event type that travels on the queue, with the schema of its data: one file per family, one
 * entry here per type. workers/queue.ts maps each type to its effects; the compiler holds the two in step.
 */
export const eventCatalogue = {
  ...contentEvents,
  [deliveryTokenCreatedEvent.type]: deliveryTokenCreatedEvent,
  [deliveryTokenRevokedEvent.type]: deliveryTokenRevokedEvent,
  [organizationDeliveryChangedEvent.type]: organizationDeliveryChangedEvent,
  [deliveryTokenUsedEvent.type]: deliveryTokenUsedEvent,
  [webhookDeliveryJobEvent.type]: webhookDeliveryJobEvent,
  [engagementBatchEvent.type]: engagementBatchEvent,
  [heartbeatEvent.type]: heartbeatEvent,
} as const;

export type EventType = keyof typeof eventCatalogue;
export type CatalogueEvent<T extends EventType> = EventOf<(typeof eventCatalogue)[T]>;

/** What a queue message turned out to be. `envelope` is there whenever the envelope itself was readable. */
export type ParsedMessage =
  | { status: 'ok'; event: EventOf<EventDefinition> }
  | { status: 'malformed'; envelope: EventEnvelope | undefined; issues: string[] }
  | { status: 'unknown_type'; envelope: EventEnvelope };

const describeIssues = (issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>, prefix: string) =>
  issues.slice(0, 10).map((i) => `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}`);

/**
 * The one place a message body is checked: the envelope, the type against the catalogue, the organization
 * its scope asks for, and `data` against the type's schema. Consumers get typed data and check nothing.
 */
export function parseEvent(
  body: unknown,
  definitions: Readonly<Record<string, EventDefinition>> = eventCatalogue,
): ParsedMessage {
  const envelope = eventEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    return { status: 'malformed', envelope: undefined, issues: describeIssues(envelope.error.issues, 'envelope') };
  }
  const definition = Object.hasOwn(definitions, envelope.data.type) ? definitions[envelope.data.type] : undefined;
  if (!definition) return { status: 'unknown_type', envelope: envelope.data };
  if (definition.scope === 'organization' && envelope.data.organizationId === null) {
    return {
      status: 'malformed',
      envelope: envelope.data,
      issues: ['envelope.organizationId: required for this type'],
    };
  }
  const data = definition.data.safeParse(envelope.data.data);
  if (!data.success) {
    return { status: 'malformed', envelope: envelope.data, issues: describeIssues(data.error.issues, 'data') };
  }
  return { status: 'ok', event: { ...envelope.data, data: data.data } };
}

/** An envelope checked as one known type, for code that produces and consumes it directly (tests, tools). */
export function parseEventAs<Def extends EventDefinition>(definition: Def, body: unknown): EventOf<Def> {
  const parsed = parseEvent(body, { [definition.type]: definition });
  if (parsed.status !== 'ok') throw new Error(`not a valid ${definition.type} event: ${JSON.stringify(parsed)}`);
  return parsed.event as EventOf<Def>;
}
