import { and, asc, count, notInArray } from 'drizzle-orm';
import type { Transaction } from '../../db/executor.ts';
import { content, type Content } from '../../db/schema/index.ts';
import { describe } from '../../lib/logger.ts';
import { systemContext, type ServiceContext, type TenantContext } from '../container.ts';
import { loadEditorialPolicy, type EditorialPolicy } from '../organizations/policy.ts';
import { relayOutbox } from '../outbox/relay-outbox.ts';
import { publishedFields } from '../workflow/transitions.ts';
import { scheduleBlocker } from './fire-time-check.ts';
import { dueBy } from './schedule-predicates.ts';
import { writeClaimed, type ClaimedWrite } from './write-claimed.ts';

export interface PublishDueInput {
  /** The cron controller's scheduledTime: everything due up to it is published, so a skipped tick catches up. */
  scheduledTime: Date;
  /** Rows claimed per transaction. */
  batchSize?: number;
  /** Bounds one run; what is left is reported as `remaining` and taken by the next tick. */
  maxBatches?: number;
  /** Only this organization's items. The cron publishes for every tenant; tests use this to stay apart. */
  organizationId?: string;
}

export interface PublishDueSummary {
  published: number;
  failed: number;
  /** Still due after the run: claimed by an overlapping run, beyond maxBatches, or left after an error. */
  remaining: number;
}

type Outcome = { result: 'published' | 'failed'; eventId: string };

/**
 * At fire time the item is checked again; either it goes out exactly as publishing now would, or the
 * reason is written on the item, audited and announced (content.schedule_failed) — never skipped quietly.
 */
function planFor(item: Content, policy: EditorialPolicy, now: Date): ClaimedWrite & { result: Outcome['result'] } {
  const dueAt = item.scheduledAt!.toISOString();
  const reason = scheduleBlocker(item, policy);
  if (reason === null) {
    return {
      result: 'published',
      // publishedAt is when readers could first see it; the due time stays in the message and audit row.
      set: publishedFields(item, now),
      action: 'content.publish',
      event: 'content.published',
      message: `published on schedule (due ${dueAt})`,
      audit: { transition: { action: 'publish', from: item.status, to: 'published' }, dueAt },
    };
  }
  return {
    result: 'failed',
    set: { scheduleError: reason, scheduleFailedAt: now },
    action: 'content.schedule_failed',
    event: 'content.schedule_failed',
    message: `not published on schedule (due ${dueAt}): ${reason}`,
    audit: { reason, dueAt },
  };
}

/**
 * One transaction per batch: the due rows, oldest first, are claimed FOR UPDATE SKIP LOCKED, so an
 * overlapping run takes other rows instead of waiting for these or publishing them again. Each item is
 * written in its own savepoint: an unexpected error rolls back that item alone, which stays due for the
 * next tick (and fails this run so it shows in Cron Events), while the rest of the batch commits.
 */
export async function publishDueContent({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: PublishDueInput;
}): Promise<PublishDueSummary> {
  const batchSize = input.batchSize ?? 50;
  const maxBatches = input.maxBatches ?? 20;
  const totals = { published: 0, failed: 0 };
  // Items that threw in this run: not claimed again by its next batch, or one bad row would loop.
  const errored: string[] = [];

  for (let batch = 0; batch < maxBatches; batch++) {
    const done = await ctx.services.db.transaction(async (tx) => {
      const claimed = await tx
        .select()
        .from(content)
        .where(
          and(
            dueBy(input.scheduledTime, input.organizationId),
            errored.length > 0 ? notInArray(content.id, errored) : undefined,
          ),
        )
        .orderBy(asc(content.scheduledAt), asc(content.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      const policies = new Map<string, EditorialPolicy>();
      const outcomes: Outcome[] = [];
      for (const item of claimed) {
        try {
          outcomes.push(
            await tx.transaction((savepoint) =>
              fire(savepoint, systemContext(ctx, item.organizationId), item, policies),
            ),
          );
        } catch (err) {
          errored.push(item.id);
          ctx.logger.log('error', 'scheduled publishing: item failed unexpectedly; it stays due', {
            contentId: item.id,
            organizationId: item.organizationId,
            error: describe(err),
          });
        }
      }
      return { claimed: claimed.length, outcomes };
    });
    for (const outcome of done.outcomes) totals[outcome.result]++;
    const eventIds = done.outcomes.map((o) => o.eventId);
    if (eventIds.length > 0) ctx.services.defer(() => relayOutbox({ ctx, input: { ids: eventIds } }));
    if (done.claimed < batchSize) break;
  }

  const [left] = await ctx.services.db
    .select({ n: count() })
    .from(content)
    .where(dueBy(input.scheduledTime, input.organizationId));
  const summary: PublishDueSummary = { ...totals, remaining: left?.n ?? 0 };
  ctx.logger.log(errored.length > 0 ? 'error' : 'info', 'scheduled publishing', {
    scheduledTime: input.scheduledTime.toISOString(),
    ...summary,
    errors: errored.length,
  });
  if (errored.length > 0)
    throw new Error(
      `scheduled publishing: ${errored.length} item(s) could not be processed and stay due (${errored.join(', ')})`,
    );
  return summary;
}

async function fire(
  tx: Transaction,
  ctx: TenantContext,
  item: Content,
  policies: Map<string, EditorialPolicy>,
): Promise<Outcome> {
  let policy = policies.get(item.organizationId);
  if (!policy) {
    policy = await loadEditorialPolicy(tx, item.organizationId);
    policies.set(item.organizationId, policy);
  }
  const { result, ...write } = planFor(item, policy, new Date());
  const { eventId } = await writeClaimed(tx, ctx, item, write);
  if (result === 'failed')
    ctx.logger.log('warn', 'scheduled publication failed', {
      contentId: item.id,
      organizationId: item.organizationId,
      reason: write.set.scheduleError,
    });
  return { result, eventId };
}
