import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/executor.ts';
import { content, type Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { recordContentChange, type ChangeRecord } from '../content/record-change.ts';
import type { ContentColumns } from '../content/versioned-write.ts';

export type ClaimedWrite = { set: Partial<ContentColumns> } & ChangeRecord;

/**
 * writeVersioned for a row the caller already holds FOR UPDATE in `tx`: the change, its version snapshot,
 * audit row and outbox event commit with the claim, so a second scheduler run can never see the row as
 * still due. The version condition is the second line of defence should the row move regardless.
 */
export async function writeClaimed(tx: Transaction, ctx: TenantContext, current: Content, write: ClaimedWrite): Promise<{ item: Content; eventId: string }> {
  const [updated] = await tx
    .update(content)
    .set({ ...write.set, version: sql`${content.version} + 1`, updatedAt: sql`now()` })
    .where(and(eq(content.id, current.id), eq(content.organizationId, ctx.organizationId), eq(content.version, current.version)))
    .returning();
  if (!updated) throw new Error(`content ${current.id} changed while claimed (expected version ${current.version})`);
  const eventId = await recordContentChange(tx, ctx, current, updated, write);
  return { item: updated, eventId };
}
