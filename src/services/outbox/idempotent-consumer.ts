import { and, eq } from 'drizzle-orm';
import { processedEvents } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import type { ServiceContext } from '../container.ts';

export type EventEffect<E extends Pick<EventEnvelope, 'id'> = EventEnvelope> = (
  event: E,
  ctx: ServiceContext,
) => Promise<unknown>;

/**
 * Queues deliver at least once. A consumer's effect runs once per event id: skipped when already
 * recorded, recorded only after it succeeds (so a failure is retried). Effects must still tolerate a
 * repeat after a crash between the effect and the record; every effect in this codebase is an upsert.
 */
export function idempotent<E extends Pick<EventEnvelope, 'id'>>(
  consumer: string,
  effect: EventEffect<E>,
): EventEffect<E> {
  return async (event, ctx) => {
    const { db } = ctx.services;
    const [seen] = await db
      .select({ at: processedEvents.processedAt })
      .from(processedEvents)
      .where(and(eq(processedEvents.eventId, event.id), eq(processedEvents.consumer, consumer)))
      .limit(1);
    if (seen) {
      ctx.logger.log('debug', 'event already processed', { eventId: event.id, consumer });
      return;
    }
    await effect(event, ctx);
    await db.insert(processedEvents).values({ eventId: event.id, consumer }).onConflictDoNothing();
  };
}
