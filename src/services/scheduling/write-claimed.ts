import type { Transaction } from '../../db/executor.ts';
import type { Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import type { ChangeRecord } from '../content/record-change.ts';
import { applyVersionedChange, type ContentColumns } from '../content/versioned-write.ts';

export type ClaimedWrite = { set: Partial<ContentColumns> } & ChangeRecord;

/**
 * writeVersioned for a row the caller already holds FOR UPDATE in `tx`: the change, its version snapshot,
 * audit row and outbox event commit with the claim, so a second scheduler run can never see the row as
 * still due. The version condition is the second line of defence should the row move regardless.
 */
export async function writeClaimed(
  tx: Transaction,
  ctx: TenantContext,
  current: Content,
  write: ClaimedWrite,
): Promise<{ item: Content; eventId: string }> {
  const written = await applyVersionedChange(tx, ctx, current, write);
  if (!written) throw new Error(`content ${current.id} changed while claimed (expected version ${current.version})`);
  return written;
}
