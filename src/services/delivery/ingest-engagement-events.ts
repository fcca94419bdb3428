import {
  ENGAGEMENT_BATCH_EVENT,
  engagementEventSchema,
  type EngagementBatch,
  type EngagementEvent,
} from '../../events/engagement.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import { toHex } from '../../lib/bytes.ts';
import { instantMs } from '../../lib/date-time.ts';
import { zodFieldErrors } from '../../lib/error-mapping.ts';
import { DomainError, unavailable, type FieldError } from '../../lib/errors.ts';
import { sha256 } from '../../lib/sha256.ts';
import type { ServiceContext } from '../container.ts';
import type { RateLimitOutcome } from '../rate-limit/check-rate-limit.ts';
import { chargeEngagementCaps } from './engagement-caps.ts';
import type { DeliveryAccess } from './resolve-delivery-access.ts';

/** Client clocks drift; events from further ahead or further back are refused rather than misdated. */
const MAX_FUTURE_SKEW_MS = 5 * 60_000;
const MAX_AGE_MS = 7 * 24 * 60 * 60_000;

export interface RejectedEvent {
  index: number;
  errors: FieldError[];
}

export interface IngestedBatch {
  batchId: string;
  accepted: number;
  rejected: RejectedEvent[];
}

function checkEvent(
  raw: unknown,
  index: number,
  now: number,
): { event: EngagementEvent } | { rejected: RejectedEvent } {
  const path = `body.events.${index}`;
  const parsed = engagementEventSchema.strict().safeParse(raw);
  if (!parsed.success) return { rejected: { index, errors: zodFieldErrors(parsed.error, path) } };
  const at = instantMs(parsed.data.occurredAt);
  if (at > now + MAX_FUTURE_SKEW_MS || at < now - MAX_AGE_MS) {
    const message = 'must lie between 7 days ago and 5 minutes from now';
    return {
      rejected: { index, errors: [{ path: `${path}.occurredAt`, message, code: 'occurred_at_out_of_window' }] },
    };
  }
  return { event: parsed.data };
}

/** A retried POST with the same Idempotency-Key becomes the same batch id, which the consumer counts once. */
async function batchIdFor(access: DeliveryAccess, idempotencyKey: string | undefined): Promise<string> {
  if (!idempotencyKey) return crypto.randomUUID();
  const digest = await sha256(`${access.organizationId}:${access.tokenId}:${idempotencyKey}`);
  // An RFC 9562 version 8 (custom) UUID from the digest.
  digest[6] = ((digest[6] ?? 0) & 0x0f) | 0x80;
  digest[8] = ((digest[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(digest.slice(0, 16));
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Validates each event on its own (one bad event does not cost the batch), charges the good ones to the
 * engagement caps of the token and the client address (a batch over a cap is refused whole), then hands
 * them to the queue as one message. Postgres is not touched: whether the content exists and is published
 * is the consumer's question, answered there (dropped and counted).
 */
export async function ingestEngagementEvents({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    access: DeliveryAccess;
    events: unknown[];
    idempotencyKey: string | undefined;
    /** clientAddressKey() of the sender. */
    address: string;
    /** The caps' outcomes are added here, for the RateLimit headers. */
    rateLimits: RateLimitOutcome[];
  };
}): Promise<IngestedBatch> {
  const { access } = input;
  if (!access.tokenId)
    throw new DomainError('unauthenticated', 'Engagement events are sent with a delivery token.', {
      code: 'missing_credentials',
    });
  const now = Date.now();
  const accepted: EngagementEvent[] = [];
  const rejected: RejectedEvent[] = [];
  input.events.forEach((raw, index) => {
    const checked = checkEvent(raw, index, now);
    if ('event' in checked) accepted.push(checked.event);
    else rejected.push(checked.rejected);
  });
  if (accepted.length === 0) {
    throw new DomainError('rule_violation', 'None of the events could be accepted.', {
      code: 'no_valid_events',
      fields: rejected.flatMap((r) => r.errors),
    });
  }
  await chargeEngagementCaps({
    ctx,
    input: {
      access: { ...access, tokenId: access.tokenId },
      address: input.address,
      events: accepted.length,
      outcomes: input.rateLimits,
    },
  });
  const batchId = await batchIdFor(access, input.idempotencyKey);
  const data: EngagementBatch = {
    receivedAt: new Date(now).toISOString(),
    deliveryTokenId: access.tokenId,
    events: accepted,
  };
  const envelope: EventEnvelope = {
    id: batchId,
    type: ENGAGEMENT_BATCH_EVENT,
    organizationId: access.organizationId,
    occurredAt: data.receivedAt,
    data,
  };
  try {
    await ctx.services.queue.send(envelope, { contentType: 'json' });
  } catch (err) {
    throw unavailable('the event queue', { code: 'queue_unavailable', cause: err });
  }
  return { batchId, accepted: accepted.length, rejected };
}
