import { and, eq, inArray } from 'drizzle-orm';
import { processedEvents } from '../../db/schema/index.ts';
import type { EventDefinition, EventOf } from '../../events/define.ts';
import { idempotent } from '../outbox/idempotent-consumer.ts';
import type { ServiceContext } from '../container.ts';
import type { Effect, EventRoute } from './effects.ts';

export interface EffectFailure {
  effect: string;
  error: unknown;
}

export interface EffectsOutcome {
  /** Effects that ran to the end now (or were found done already). */
  done: string[];
  failed: EffectFailure[];
}

function runOne<E extends EventOf<EventDefinition>>(name: string, effect: Effect<E>, event: E, ctx: ServiceContext) {
  return effect.ledger === 'runner' ? idempotent(name, effect.run)(event, ctx) : effect.run(event, ctx);
}

/**
 * Runs the route's effects (or only those named) side by side and reports each one's outcome: one failing
 * never stops or undoes another. The caller retries what failed; what is done is skipped next time.
 */
export async function runEffects<Def extends EventDefinition>(
  event: EventOf<Def>,
  route: EventRoute<Def>,
  ctx: ServiceContext,
  only?: readonly string[],
): Promise<EffectsOutcome> {
  const names = Object.keys(route.effects).filter((name) => !only || only.includes(name));
  const settled = await Promise.allSettled(names.map((name) => runOne(name, route.effects[name]!, event, ctx)));
  const outcome: EffectsOutcome = { done: [], failed: [] };
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') outcome.done.push(names[i]!);
    else outcome.failed.push({ effect: names[i]!, error: result.reason });
  });
  return outcome;
}

/**
 * The effects of an event not known to be done: those recorded in processed_events are left out; an
 * effect that keeps no record (ledger `none`) is always pending, which is safe because it can repeat.
 */
export async function pendingEffects<Def extends EventDefinition>(
  event: EventOf<Def>,
  route: EventRoute<Def>,
  ctx: ServiceContext,
): Promise<string[]> {
  const names = Object.keys(route.effects);
  const recorded = names.filter((name) => route.effects[name]!.ledger !== 'none');
  const done =
    recorded.length === 0
      ? []
      : await ctx.services.db
          .select({ consumer: processedEvents.consumer })
          .from(processedEvents)
          .where(and(eq(processedEvents.eventId, event.id), inArray(processedEvents.consumer, recorded)));
  const doneNames = new Set(done.map((row) => row.consumer));
  return names.filter((name) => !doneNames.has(name));
}
