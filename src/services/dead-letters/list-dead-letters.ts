import { and, desc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { deadLetters, type DeadLetter, type DeadLetterReason } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { decodeDeadLetterCursor, encodeDeadLetterCursor } from './dead-letter-cursor.ts';

export interface ListDeadLettersInput {
  status: 'unresolved' | 'resolved' | 'all';
  organizationId?: string | undefined;
  eventType?: string | undefined;
  eventId?: string | undefined;
  effect?: string | undefined;
  reason?: DeadLetterReason | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
}

/**
 * Platform-wide (dead letters are the platform's, like organizations), newest first failure first, by
 * keyset: rows parked while an operator pages never shift a page.
 */
export async function listDeadLetters({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListDeadLettersInput;
}): Promise<DeadLetterPage> {
  assertCan(ctx.actor, 'dead_letters.manage');
  const after = input.cursor ? decodeDeadLetterCursor(input.cursor) : undefined;
  const rows = await ctx.services.db
    .select()
    .from(deadLetters)
    .where(
      and(
        input.status === 'unresolved' ? isNull(deadLetters.resolvedAt) : undefined,
        input.status === 'resolved' ? isNotNull(deadLetters.resolvedAt) : undefined,
        input.organizationId ? eq(deadLetters.organizationId, input.organizationId) : undefined,
        input.eventType ? eq(deadLetters.eventType, input.eventType) : undefined,
        input.eventId ? eq(deadLetters.eventId, input.eventId) : undefined,
        input.effect ? eq(deadLetters.effect, input.effect) : undefined,
        input.reason ? eq(deadLetters.reason, input.reason) : undefined,
        after
          ? sql`(${deadLetters.firstFailedAt}, ${deadLetters.id}) < (${after.firstFailedAt.toISOString()}::timestamptz, ${after.id}::uuid)`
          : undefined,
      ),
    )
    .orderBy(desc(deadLetters.firstFailedAt), desc(deadLetters.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      rows.length > input.limit && last
        ? encodeDeadLetterCursor({ firstFailedAt: last.firstFailedAt, id: last.id })
        : null,
  };
}
