import { and, eq, sql } from 'drizzle-orm';
import type { Transaction } from '../../db/executor.ts';
import { content, type Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { findContent } from './get-content.ts';
import { relayAfterCommit } from '../outbox/relay-after-commit.ts';
import { recordContentChange, type ChangeRecord } from './record-change.ts';

/** Columns a write may set; id, organization, creator, version and timestamps are the writer's. */
export type ContentColumns = Pick<
  Content,
  | 'type'
  | 'title'
  | 'body'
  | 'platforms'
  | 'scheduledAt'
  | 'status'
  | 'qualityScore'
  | 'qualityBreakdown'
  | 'complianceStatus'
  | 'complianceNote'
  | 'publishedAt'
  | 'publishedVersion'
  | 'scheduledVersion'
  | 'scheduleError'
  | 'scheduleFailedAt'
>;

/** What to do with the current row: nothing (already in the wanted state), or write these fields, recorded as this change. */
export type WritePlan = { kind: 'unchanged' } | ({ kind: 'write'; set: Partial<ContentColumns> } & ChangeRecord);

/**
 * The write itself, in the caller's transaction: the version-conditional UPDATE, then the version snapshot,
 * audit row and outbox event. Undefined when the row moved past `current.version` (a lost race).
 */
export async function applyVersionedChange(
  tx: Transaction,
  ctx: TenantContext,
  current: Content,
  change: { set: Partial<ContentColumns> } & ChangeRecord,
): Promise<{ item: Content; eventId: string } | undefined> {
  const [updated] = await tx
    .update(content)
    .set({ ...change.set, version: sql`${content.version} + 1`, updatedAt: sql`now()` })
    .where(
      and(
        eq(content.id, current.id),
        eq(content.organizationId, ctx.organizationId),
        eq(content.version, current.version),
      ),
    )
    .returning();
  if (!updated) return undefined;
  return { item: updated, eventId: await recordContentChange(tx, ctx, current, updated, change) };
}

// A lost race without If-Match is re-read and re-applied; this bounds how often before giving up with 409.
const MAX_ATTEMPTS = 3;

/**
 * Optimistic concurrency: read the row, let `plan` check it (ownership, If-Match, state, rules), then one
 * UPDATE … WHERE id AND organization_id AND version = <the version read>. Of concurrent writers holding the
 * same version exactly one matches; the others re-read, and their If-Match (if any) now fails. The row
 * change, its version snapshot, audit row and outbox event commit together, or none does.
 */
export async function writeVersioned(
  ctx: TenantContext,
  id: string,
  plan: (current: Content, tx: Transaction) => WritePlan | Promise<WritePlan>,
): Promise<{ item: Content; changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await ctx.services.db.transaction(async (tx) => {
      const current = await findContent(tx, ctx, id);
      const decision = await plan(current, tx);
      if (decision.kind === 'unchanged') return { item: current, changed: false, eventId: undefined };
      const written = await applyVersionedChange(tx, ctx, current, decision);
      return written && { ...written, changed: true };
    });
    if (result) {
      if (result.eventId) relayAfterCommit(ctx, [result.eventId]);
      return { item: result.item, changed: result.changed };
    }
  }
  throw new DomainError(
    'conflict',
    'The content kept changing while this request tried to apply; read it again and retry.',
    { code: 'concurrent_modification' },
  );
}
