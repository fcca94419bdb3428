import { z } from 'zod';
import { dateTimeSchema } from '../lib/date-time.ts';
import { defineEvent, type EventOf } from './define.ts';

/** Delivery access lives in KV at the edge; these events keep it in step with Postgres (ADR 0017). */

/**
 * Set on the copy of a revocation or access change that the consumer sends itself 90 s later (the
 * recheck, docs/decisions/0031): it is handled the same way but schedules no further copy.
 */
const recheck = z.boolean().optional();

/** A delivery token was created: a remembered absence of its hash goes (docs/decisions/0031). */
export const DELIVERY_TOKEN_CREATED_EVENT = 'delivery_token.created';
export const deliveryTokenCreatedEvent = defineEvent(
  DELIVERY_TOKEN_CREATED_EVENT,
  'organization',
  z.object({ deliveryTokenId: z.uuid() }),
);
export type DeliveryTokenCreated = EventOf<typeof deliveryTokenCreatedEvent>;

/** A delivery token was revoked: its edge entry goes, so the edge stops accepting it. */
export const DELIVERY_TOKEN_REVOKED_EVENT = 'delivery_token.revoked';
export const deliveryTokenRevokedEvent = defineEvent(
  DELIVERY_TOKEN_REVOKED_EVENT,
  'organization',
  z.object({ deliveryTokenId: z.uuid(), recheck }),
);
export type DeliveryTokenRevoked = EventOf<typeof deliveryTokenRevokedEvent>;

/** A slug change, a new organization or a public-access switch: the slugs' edge entries are rewritten. */
export const ORGANIZATION_DELIVERY_CHANGED_EVENT = 'organization.delivery_changed';
export const organizationDeliveryChangedEvent = defineEvent(
  ORGANIZATION_DELIVERY_CHANGED_EVENT,
  'organization',
  z.object({ slugs: z.array(z.string().min(1).max(100)).min(1).max(10), recheck }),
);
export type OrganizationDeliveryChanged = EventOf<typeof organizationDeliveryChangedEvent>;

/** A token was used at the edge (reported at most once a minute per isolate): last_used_at moves. */
export const DELIVERY_TOKEN_USED_EVENT = 'delivery_token.used';
export const deliveryTokenUsedEvent = defineEvent(
  DELIVERY_TOKEN_USED_EVENT,
  'organization',
  z.object({ deliveryTokenId: z.uuid(), usedAt: dateTimeSchema() }),
);
export type DeliveryTokenUsed = EventOf<typeof deliveryTokenUsedEvent>;
