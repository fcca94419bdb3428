import type { EventDefinition, EventOf } from '../../events/define.ts';
import type { ServiceContext } from '../container.ts';

/**
 * Who remembers that an effect is done for an event id:
 * - `runner`: the runner, in processed_events under the effect's name, after the effect succeeds; a
 *   redelivery skips it (services/outbox/idempotent-consumer.ts);
 * - `effect`: the effect itself, in processed_events under its name inside its own transaction
 *   (engagement counting, which must claim and count atomically);
 * - `none`: nobody; the effect is safe to repeat and cheaper to repeat than to record (a heartbeat), or
 *   guards itself another way (a webhook job claims the delivery's job token).
 */
export type Ledger = 'runner' | 'effect' | 'none';

export interface Effect<E> {
  readonly run: (event: E, ctx: ServiceContext) => Promise<unknown>;
  readonly ledger: Ledger;
}

export const once = <E>(run: Effect<E>['run']): Effect<E> => ({ run, ledger: 'runner' });
export const recordsItself = <E>(run: Effect<E>['run']): Effect<E> => ({ run, ledger: 'effect' });
export const repeatable = <E>(run: Effect<E>['run']): Effect<E> => ({ run, ledger: 'none' });

/** An event type and what happens downstream of it: named effects, each run, retried and dead-lettered on its own. */
export interface EventRoute<Def extends EventDefinition = EventDefinition> {
  readonly event: Def;
  readonly effects: Readonly<Record<string, Effect<EventOf<Def>>>>;
}

export function on<Def extends EventDefinition>(
  event: Def,
  effects: Readonly<Record<string, Effect<EventOf<Def>>>>,
): EventRoute<Def> {
  return { event, effects };
}

/** Routes by event type, as the consumer and the dead-letter redrive read them (types erased). */
// biome-ignore lint/suspicious/noExplicitAny: a table of routes of different event types
export type RouteTable = Readonly<Record<string, EventRoute<any>>>;

/** The catalogue's schemas as the routes name them: what a message is parsed against. */
export const definitionsOf = (routes: RouteTable): Record<string, EventDefinition> =>
  Object.fromEntries(Object.entries(routes).map(([type, route]) => [type, route.event]));
