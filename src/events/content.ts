import { z } from 'zod';
import { defineEvent, type EventDefinition, type EventOf } from './define.ts';

/** Domain events of content, written to the outbox with the change (services/content/record-change.ts). */
export const contentEventTypes = [
  'content.created',
  'content.updated',
  'content.submitted',
  'content.approved',
  'content.rejected',
  'content.published',
  'content.unpublished',
  'content.scheduled',
  'content.unscheduled',
  'content.archived',
  'content.restored',
  'content.compliance_reviewed',
  'content.schedule_failed',
] as const;

export type ContentEventType = (typeof contentEventTypes)[number];

/**
 * `data` of every content event. Consumers read what is live from Postgres rather than trusting the
 * event, so only the id is essential; the rest goes to webhook receivers as it is (loose: a newer producer
 * may add fields that an older consumer passes through).
 */
export const contentEventDataSchema = z.looseObject({
  contentId: z.uuid(),
  version: z.number().int().min(1),
  status: z.string().optional(),
  publishedVersion: z.number().int().nullable().optional(),
  comment: z.string().optional(),
  actor: z.looseObject({ type: z.string(), id: z.string().nullable() }).optional(),
});

type ContentEventDefinition<T extends ContentEventType> = EventDefinition<
  T,
  typeof contentEventDataSchema,
  'organization'
>;

export const contentEvents = Object.fromEntries(
  contentEventTypes.map((type) => [type, defineEvent(type, 'organization', contentEventDataSchema)]),
) as { readonly [T in ContentEventType]: ContentEventDefinition<T> };

export type ContentEvent = EventOf<ContentEventDefinition<ContentEventType>>;
