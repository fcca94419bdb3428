import { z } from 'zod';
import { engagementEventTypes } from '../db/schema/engagement.ts';
import { dateTimeSchema } from '../lib/date-time.ts';
import { defineEvent, type EventOf } from './define.ts';

/** The queue message type for a batch of reader engagement sent to `POST /delivery/v1/{org}/events`. */
export const ENGAGEMENT_BATCH_EVENT = 'engagement.batch';

/** Platform slugs as content uses them (src/routes/content/schemas.ts). */
const platform = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/);

/** One accepted reader event, as it travels on the queue (already validated at the edge). */
export const engagementEventSchema = z.object({
  type: z.enum(engagementEventTypes),
  contentId: z.uuid(),
  platform,
  /** The client's clock, checked at ingestion to lie within the accepted window. */
  occurredAt: dateTimeSchema(),
});

export type EngagementEvent = z.infer<typeof engagementEventSchema>;

/**
 * `data` of an `engagement.batch` envelope. The envelope id is the batch id: a redelivered message has
 * the same id and is counted once. organizationId on the envelope is the organization the delivery
 * token belongs to; events naming another organization's content are dropped by the consumer.
 */
export const engagementBatchSchema = z.object({
  receivedAt: z.iso.datetime({ offset: true }),
  deliveryTokenId: z.uuid(),
  events: z.array(engagementEventSchema).min(1).max(100),
});

export type EngagementBatch = z.infer<typeof engagementBatchSchema>;

export const engagementBatchEvent = defineEvent(ENGAGEMENT_BATCH_EVENT, 'organization', engagementBatchSchema);
export type EngagementBatchEvent = EventOf<typeof engagementBatchEvent>;
