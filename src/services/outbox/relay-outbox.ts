import { and, asc, inArray, isNull, sql } from 'drizzle-orm';
import { outbox } from '../../db/schema/index.ts';
import type { EventEnvelope } from '../../events/envelope.ts';
import { describe } from '../../lib/logger.ts';
import type { ServiceContext } from '../container.ts';

const QUEUE_BATCH = 100; // Queues' sendBatch limit

export interface RelayResult {
  sent: number;
  failed: number;
}

/**
 * Moves unsent outbox rows to the queue and marks them sent. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, so the after-commit relay and the cron catch-up never send the same row twice at once; a
 * send that fails leaves its rows unsent (attempts and error recorded) for the next run. Consumers are
 * idempotent by event id, so the rare resend after a crash between send and mark is harmless.
 */
export async function relayOutbox({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { ids?: string[]; limit?: number };
}): Promise<RelayResult> {
  if (input.ids && input.ids.length === 0) return { sent: 0, failed: 0 };
  return ctx.services.db.transaction(async (tx) => {
    const rows = await tx
      .select()
      .from(outbox)
      .where(and(isNull(outbox.sentAt), input.ids ? inArray(outbox.id, input.ids) : undefined))
      .orderBy(asc(outbox.occurredAt))
      .limit(input.limit ?? 500)
      .for('update', { skipLocked: true });
    let sent = 0;
    let failed = 0;
    for (let i = 0; i < rows.length; i += QUEUE_BATCH) {
      const chunk = rows.slice(i, i + QUEUE_BATCH);
      const ids = chunk.map((row) => row.id);
      try {
        await ctx.services.queue.sendBatch(
          chunk.map((row) => ({
            body: {
              id: row.id,
              type: row.type,
              organizationId: row.organizationId,
              occurredAt: row.occurredAt.toISOString(),
              data: row.payload,
            } satisfies EventEnvelope,
          })),
        );
        await tx
          .update(outbox)
          .set({ sentAt: sql`now()`, attempts: sql`${outbox.attempts} + 1`, lastError: null })
          .where(inArray(outbox.id, ids));
        sent += chunk.length;
      } catch (err) {
        ctx.logger.log('warn', 'outbox relay: queue send failed; rows stay for the next run', {
          events: ids.length,
          error: describe(err),
        });
        await tx
          .update(outbox)
          .set({
            attempts: sql`${outbox.attempts} + 1`,
            lastError: String(err instanceof Error ? err.message : err).slice(0, 500),
          })
          .where(inArray(outbox.id, ids));
        failed += chunk.length;
      }
    }
    return { sent, failed };
  });
}
