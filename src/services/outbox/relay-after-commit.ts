import type { ServiceContext } from '../container.ts';
import { relayOutbox } from './relay-outbox.ts';

/** After commit: hand the events to the queue now rather than at the next cron tick. */
export function relayAfterCommit(ctx: ServiceContext, eventIds: string[]): void {
  if (eventIds.length > 0) ctx.services.defer(() => relayOutbox({ ctx, input: { ids: eventIds } }));
}
