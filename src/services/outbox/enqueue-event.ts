import type { Executor } from '../../db/executor.ts';
import { outbox } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';

/** Written in the caller's transaction: the event exists if and only if the change committed. */
export async function enqueueEvent(
  tx: Executor,
  ctx: Pick<TenantContext, 'organizationId' | 'actor'>,
  type: string,
  data: Record<string, unknown>,
): Promise<string> {
  const id = crypto.randomUUID();
  await tx.insert(outbox).values({
    id,
    organizationId: ctx.organizationId,
    type,
    payload: { ...data, actor: { type: ctx.actor.type, id: ctx.actor.id } },
  });
  return id;
}
