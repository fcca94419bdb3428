import type { Bindings } from '../src/config.ts';
import { describe } from '../src/lib/logger.ts';
import { rollupEngagement } from '../src/services/analytics/rollup-engagement.ts';
import { verifyNewAuditEntries } from '../src/services/audit-log/verify-new-audit-entries.ts';
import type { ServiceContext } from '../src/services/container.ts';
import { purgeExpiredIdempotencyKeys } from '../src/services/idempotency/idempotency-store.ts';
import { redriveDeadLetters } from '../src/services/dead-letters/redrive-dead-letters.ts';
import { purgeExpiredMfaVerifications } from '../src/services/mfa/purge-expired-verifications.ts';
import { relayOutbox } from '../src/services/outbox/relay-outbox.ts';
import { publishDueContent } from '../src/services/scheduling/publish-due-content.ts';
import { purgeSignInState } from '../src/services/sessions/purge-sign-in-state.ts';
import { recordCronTick } from '../src/services/system/heartbeat.ts';
import { dispatchWebhookDeliveries } from '../src/services/webhooks/dispatch-deliveries.ts';
import { createBackgroundContext } from './background-context.ts';
import { eventRoutes } from './queue.ts';

export interface CronJob {
  name: string;
  run(ctx: ServiceContext, tick: { cron: string; scheduledTime: Date }): Promise<unknown>;
}

/**
 * Jobs of the every-minute trigger. Each must be idempotent and catch up on what is due up to
 * scheduledTime (never "this exact minute"), because ticks can be skipped or overlap. They run side by side
 * (runCronJobs), so one job's failure or slowness never holds another back.
 */
export const cronJobs: readonly CronJob[] = [
  { name: 'heartbeat', run: (ctx, tick) => recordCronTick({ ctx, input: tick }) },
  { name: 'idempotency-purge', run: (ctx) => purgeExpiredIdempotencyKeys({ ctx }) },
  // Sign-ins never completed, and sessions a week past their end (docs/decisions/0035).
  { name: 'sign-in-purge', run: (ctx) => purgeSignInState({ ctx }) },
  { name: 'mfa-verification-purge', run: (ctx) => purgeExpiredMfaVerifications({ ctx }) },
  {
    name: 'scheduled-publishing',
    run: (ctx, tick) => publishDueContent({ ctx, input: { scheduledTime: tick.scheduledTime } }),
  },
  // Catch-up for events whose after-commit relay did not happen (Worker stopped, queue send failed).
  { name: 'outbox-relay', run: (ctx) => relayOutbox({ ctx, input: { limit: 1000 } }) },
  // Windows end on today's UTC day by the clock, not the tick's: a late tick still rolls up to now.
  { name: 'engagement-rollup', run: (ctx) => rollupEngagement({ ctx }) },
  // Webhook retries beyond the queue's 12-hour delay, lost jobs and attempts whose Worker died.
  { name: 'webhook-dispatch', run: (ctx) => dispatchWebhookDeliveries({ ctx, input: { now: new Date() } }) },
  // Audit entries written since each organization's checkpoint; a broken chain is logged and shown on /health.
  { name: 'audit-chain-verify', run: (ctx) => verifyNewAuditEntries({ ctx }) },
  // What the queue gave up on: each due dead letter's effect is run again, backing off to 6 h (ADR 0034).
  {
    name: 'dead-letter-redrive',
    run: (ctx) =>
      redriveDeadLetters({
        ctx,
        input: { now: new Date(), routes: eventRoutes, limit: ctx.services.config.deadLetters.redriveLimit },
      }),
  },
];

export interface CronRunResult {
  job: string;
  ok: boolean;
  durationMs: number;
}

/** Runs every job even when one fails, then fails the invocation so the failure shows in Cron Events. */
export async function runCronJobs(
  ctx: ServiceContext,
  tick: { cron: string; scheduledTime: Date },
  jobs: readonly CronJob[],
): Promise<CronRunResult[]> {
  const results = await Promise.all(
    jobs.map(async (job): Promise<CronRunResult> => {
      const started = performance.now();
      try {
        await job.run(ctx, tick);
        const durationMs = Math.round(performance.now() - started);
        ctx.logger.log('info', 'cron job done', { job: job.name, durationMs });
        return { job: job.name, ok: true, durationMs };
      } catch (err) {
        const durationMs = Math.round(performance.now() - started);
        ctx.logger.log('error', 'cron job failed', { job: job.name, durationMs, error: describe(err) });
        return { job: job.name, ok: false, durationMs };
      }
    }),
  );
  const failed = results.filter((r) => !r.ok).map((r) => r.job);
  if (failed.length > 0) throw new Error(`cron jobs failed: ${failed.join(', ')}`);
  return results;
}

export async function handleScheduled(
  controller: ScheduledController,
  env: Bindings,
  execution: ExecutionContext,
): Promise<void> {
  const ctx = createBackgroundContext(env, { trigger: 'cron', cron: controller.cron });
  try {
    await runCronJobs(ctx, { cron: controller.cron, scheduledTime: new Date(controller.scheduledTime) }, cronJobs);
  } finally {
    execution.waitUntil(ctx.services.dispose());
  }
}
