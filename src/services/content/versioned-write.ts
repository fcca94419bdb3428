import { and, eq, sql } from 'drizzle-orm';
import { content, type Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { contentSnapshot } from './content-rules.ts';
import { findContent } from './get-content.ts';

/** What to do with the current row: nothing (already in the wanted state), or write these fields and audit under this action. */
export type WritePlan = { kind: 'unchanged' } | { kind: 'write'; set: Partial<Pick<Content, 'type' | 'title' | 'body' | 'platforms' | 'scheduledAt' | 'status'>>; action: string };

// A lost race without If-Match is re-read and re-applied; this bounds how often before giving up with 409.
const MAX_ATTEMPTS = 3;

/**
 * Optimistic concurrency: read the row, let `plan` check it (ownership, If-Match, state, rules), then one
 * UPDATE … WHERE id AND organization_id AND version = <the version read>. Of concurrent writers holding the
 * same version exactly one matches; the others re-read, and their If-Match (if any) now fails. The row
 * change and its audit row commit together, or neither does.
 */
export async function writeVersioned(ctx: TenantContext, id: string, plan: (current: Content) => WritePlan): Promise<{ item: Content; changed: boolean }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const result = await ctx.services.db.transaction(async (tx) => {
      const current = await findContent(tx, ctx, id);
      const decision = plan(current);
      if (decision.kind === 'unchanged') return { item: current, changed: false };
      const [updated] = await tx
        .update(content)
        .set({ ...decision.set, version: sql`${content.version} + 1`, updatedAt: sql`now()` })
        .where(and(eq(content.id, current.id), eq(content.organizationId, ctx.organizationId), eq(content.version, current.version)))
        .returning();
      if (!updated) return undefined;
      await recordAudit(tx, ctx, { action: decision.action, entityType: 'content', entityId: id, before: contentSnapshot(current), after: contentSnapshot(updated) });
      return { item: updated, changed: true };
    });
    if (result) return result;
  }
  throw new DomainError('conflict', 'The content kept changing while this request tried to apply; read it again and retry.', { code: 'concurrent_modification' });
}
