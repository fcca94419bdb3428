import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';
import {
  checkRateLimit,
  peekRateLimit,
  type RateLimitOutcome,
  type RateLimitPolicy,
} from '../rate-limit/check-rate-limit.ts';
import type { DeliveryAccess } from './resolve-delivery-access.ts';

interface Cap {
  policy: RateLimitPolicy;
  identifier: string;
}

/** The four caps on engagement events: per client address (within the organization) and per delivery token. */
function capsFor(ctx: ServiceContext, access: DeliveryAccess & { tokenId: string }, address: string): Cap[] {
  const caps = ctx.services.config.rateLimits.engagement;
  const perAddress = `${access.organizationId}:${address}`;
  return [
    { policy: { name: 'engagement-ip-minute', limit: caps.perIpPerMinute, windowSeconds: 60 }, identifier: perAddress },
    { policy: { name: 'engagement-ip-hour', limit: caps.perIpPerHour, windowSeconds: 3600 }, identifier: perAddress },
    {
      policy: { name: 'engagement-token-minute', limit: caps.perTokenPerMinute, windowSeconds: 60 },
      identifier: access.tokenId,
    },
    {
      policy: { name: 'engagement-token-hour', limit: caps.perTokenPerHour, windowSeconds: 3600 },
      identifier: access.tokenId,
    },
  ];
}

function capReached(refused: RateLimitOutcome[], events: number): DomainError<'rate_limited'> {
  const [first] = refused;
  const name = first ? `"${first.policy.name}" (${first.policy.limit} events per ${first.policy.windowSeconds} s)` : '';
  return new DomainError(
    'rate_limited',
    `Engagement cap ${name} reached: this batch of ${events} events does not fit, and none of it was counted. ` +
      'Send it again after Retry-After.',
    { code: 'rate_limited', retryAfterSeconds: Math.max(1, ...refused.map((o) => o.resetSeconds)) },
  );
}

/**
 * Takes `events` from every cap, or refuses the whole batch (429) when any cap lacks room for all of it:
 * a refused batch is never queued, and one refused at the check counts against nothing (docs/decisions/0029).
 * Room is checked first and taken second, so concurrent batches may overshoot a cap by what is in flight
 * at once, no more; when room vanishes in between, the batch is refused and what it took stays taken.
 * The outcomes are added to `outcomes` (the RateLimit headers), refused or not.
 */
export async function chargeEngagementCaps({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: {
    access: DeliveryAccess & { tokenId: string };
    address: string;
    events: number;
    outcomes: RateLimitOutcome[];
  };
}): Promise<void> {
  const namespace = ctx.services.config.rateLimits.prefix;
  const caps = capsFor(ctx, input.access, input.address);
  const room = await Promise.all(caps.map((cap) => peekRateLimit({ ctx, input: { ...cap, namespace } })));
  const short = room.filter((o) => o.remaining < input.events);
  if (short.length > 0) {
    input.outcomes.push(...room);
    throw capReached(short, input.events);
  }
  const taken = await Promise.all(
    caps.map((cap) => checkRateLimit({ ctx, input: { ...cap, namespace, cost: input.events } })),
  );
  input.outcomes.push(...taken);
  const refused = taken.filter((o) => !o.allowed);
  if (refused.length > 0) throw capReached(refused, input.events);
}
