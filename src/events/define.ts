import type { z } from 'zod';
import type { EventEnvelope } from './envelope.ts';

/**
 * `organization`: the event belongs to one tenant, so its envelope must name it (a null organizationId is
 * malformed); `platform`: the platform's own bookkeeping, with no tenant.
 */
export type EventScope = 'organization' | 'platform';

/** What `data` always is on the queue: a JSON object (the envelope says so). */
export type EventData = z.ZodType<Record<string, unknown>>;

/** One entry of the event catalogue: a type, whose tenant it is, and the schema of its `data`. */
export interface EventDefinition<
  T extends string = string,
  D extends EventData = EventData,
  S extends EventScope = EventScope,
> {
  readonly type: T;
  readonly scope: S;
  readonly data: D;
}

export function defineEvent<T extends string, S extends EventScope, D extends EventData>(
  type: T,
  scope: S,
  data: D,
): EventDefinition<T, D, S> {
  return { type, scope, data };
}

/** An envelope as consumers see it: checked against its definition once, where the batch is read. */
export type EventOf<Def extends EventDefinition> = Omit<EventEnvelope, 'type' | 'organizationId' | 'data'> & {
  type: Def['type'];
  organizationId: Def['scope'] extends 'organization' ? string : string | null;
  data: z.infer<Def['data']>;
};
