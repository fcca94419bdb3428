import { count, isNull, min } from 'drizzle-orm';
import { deadLetters } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';

export interface DeadLetterSummary {
  unresolved: number;
  /** Seconds since the oldest unresolved dead letter first failed; null when there is none. */
  oldestAgeSeconds: number | null;
}

/** For /health: one indexed aggregate over the unresolved rows (a partial index holds only those). */
export async function summarizeDeadLetters(
  ctx: Pick<ServiceContext, 'services'>,
  now = new Date(),
): Promise<DeadLetterSummary> {
  const [row] = await ctx.services.db
    .select({ unresolved: count(), oldest: min(deadLetters.firstFailedAt) })
    .from(deadLetters)
    .where(isNull(deadLetters.resolvedAt));
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    unresolved: row?.unresolved ?? 0,
    oldestAgeSeconds: oldest ? Math.max(0, Math.floor((now.getTime() - oldest.getTime()) / 1000)) : null,
  };
}
