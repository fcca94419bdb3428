import { and, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import {
  webhookAttempts,
  webhookDeliveries as d,
  webhooks,
  type Webhook,
  type WebhookDelivery,
  type WebhookDisabledReason,
} from '../../db/schema/index.ts';
import { describe } from '../../lib/logger.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { systemContext, type ServiceContext } from '../container.ts';
import type { DeliveryJob } from '../../events/webhooks.ts';
import { enqueueDeliveries } from './delivery-jobs.ts';
import { WEBHOOK_TEST_EVENT } from './event-types.ts';
import { DELIVERY_TIMEOUT_MS, postWebhook, type PostOutcome } from './post-webhook.ts';
import { DISABLE_AFTER_FAILING_MS, parseRetryAfter, retryDelaySeconds } from './retry-schedule.ts';
import { liveSecretRows, openSigningSecrets } from './secret-store.ts';
import { signedHeaders } from './signing.ts';
import { checkWebhookUrl, urlPolicy } from './url-guard.ts';

export interface AttemptOptions {
  /** The clock; tests move it to cross the three-day rule without waiting. */
  now?: () => Date;
  timeoutMs?: number;
  /** Jitter source for the retry delay. */
  random?: () => number;
}

export type AttemptResult = 'stale' | 'succeeded' | 'retrying' | 'dead_letter';

/** After this, a claimed attempt whose Worker never reported back is presumed lost and made again by the cron. */
export const ATTEMPT_LEASE_MS = 4 * DELIVERY_TIMEOUT_MS;

const timestamp = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * One attempt of one delivery, as a queue job asks for it. The job's token is claimed in one statement,
 * so a redelivered or duplicated job (at-least-once queues) makes no second attempt, and a delivery that
 * already succeeded is never sent again. The URL is checked again before sending (DNS may have changed);
 * every attempt, sent or refused, is logged; the outcome decides success, a retry or the dead letter.
 */
export async function attemptWebhookDelivery({
  ctx,
  input,
  options = {},
}: {
  ctx: ServiceContext;
  input: DeliveryJob;
  options?: AttemptOptions;
}): Promise<AttemptResult> {
  const clock = options.now ?? (() => new Date());
  const { db } = ctx.services;
  const attemptedAt = clock();
  const [delivery] = await db
    .update(d)
    .set({
      status: 'sending',
      jobToken: null,
      queuedAt: null,
      leaseExpiresAt: new Date(attemptedAt.getTime() + ATTEMPT_LEASE_MS),
    })
    .where(and(eq(d.id, input.deliveryId), eq(d.jobToken, input.token), eq(d.status, 'pending')))
    .returning();
  if (!delivery) {
    ctx.logger.log('debug', 'webhook job is stale: delivery already attempted, superseded or gone', {
      deliveryId: input.deliveryId,
    });
    return 'stale';
  }
  const [webhook] = await db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, delivery.webhookId), eq(webhooks.organizationId, delivery.organizationId)))
    .limit(1);
  if (!webhook) return 'stale';
  if (!webhook.active && delivery.eventType !== WEBHOOK_TEST_EVENT) {
    // Turned off (by an admin, a 410 or the failure rule) since the event: nothing is sent; a replay can follow.
    await db
      .update(d)
      .set({
        status: 'dead_letter',
        leaseExpiresAt: null,
        nextAttemptAt: null,
        lastError: 'not sent: the webhook is turned off',
      })
      .where(eq(d.id, delivery.id));
    return 'dead_letter';
  }
  const outcome = await send(ctx, delivery, webhook, attemptedAt, options.timeoutMs ?? DELIVERY_TIMEOUT_MS);
  const result = await ctx.services.db.transaction(async (tx): Promise<AttemptResult> => {
    // The webhook's row before the delivery's: the order DELETE /webhooks/{id} takes them in (its cascade), so an
    // attempt ending while its webhook is deleted waits for the delete instead of deadlocking with it.
    const [live] = await tx
      .select({ id: webhooks.id })
      .from(webhooks)
      .where(eq(webhooks.id, webhook.id))
      .for('no key update');
    if (!live) return 'stale';
    return recordAttempt(tx, ctx, delivery, webhook, outcome, attemptedAt, options.random);
  });
  ctx.logger.log(outcome.succeeded ? 'debug' : 'info', 'webhook attempt', {
    deliveryId: delivery.id,
    webhookId: webhook.id,
    organizationId: webhook.organizationId,
    statusCode: outcome.statusCode,
    error: outcome.error,
    result,
  });
  if (result === 'retrying') await enqueueDeliveries({ ctx, input: { ids: [delivery.id], now: attemptedAt } });
  return result;
}

async function send(
  ctx: ServiceContext,
  delivery: WebhookDelivery,
  webhook: Webhook,
  attemptedAt: Date,
  timeoutMs: number,
): Promise<PostOutcome> {
  const { config, db } = ctx.services;
  const verdict = await checkWebhookUrl(webhook.url, urlPolicy(config));
  if (!verdict.ok) return notSent(verdict.reason);
  const rows = await liveSecretRows(db, [webhook.id], attemptedAt);
  let secrets: string[];
  try {
    secrets = await openSigningSecrets(config.webhooks.secretKey, rows);
  } catch (err) {
    // Poison, not a blip: no retry of the message can open it. As a failed attempt it follows the retry
    // schedule to the dead letter, in the delivery log for the organization to see (ADR 0034).
    ctx.logger.log('error', 'webhook signing secret cannot be decrypted', {
      webhookId: webhook.id,
      deliveryId: delivery.id,
      error: describe(err),
    });
    return notSent('the signing secret cannot be decrypted (WEBHOOK_SECRET_KEY changed?); rotate the secret');
  }
  if (secrets.length === 0) return notSent('the webhook has no live signing secret; rotate the secret');
  const headers = await signedHeaders(secrets, delivery.id, Math.floor(attemptedAt.getTime() / 1000), delivery.payload);
  return postWebhook({ url: webhook.url, body: delivery.payload, headers, timeoutMs });
}

/** An attempt refused before anything was sent: recorded like any failed attempt. */
const notSent = (reason: string): PostOutcome => ({
  succeeded: false,
  statusCode: null,
  durationMs: 0,
  responseExcerpt: null,
  error: `not sent: ${reason}`,
  retryAfter: null,
});

async function recordAttempt(
  tx: Executor,
  ctx: ServiceContext,
  delivery: WebhookDelivery,
  webhook: Webhook,
  outcome: PostOutcome,
  at: Date,
  random?: () => number,
): Promise<AttemptResult> {
  const number = delivery.attemptCount + 1;
  const cycleAttempts = delivery.cycleAttempts + 1;
  await tx.insert(webhookAttempts).values({
    deliveryId: delivery.id,
    number,
    attemptedAt: at,
    durationMs: outcome.durationMs,
    statusCode: outcome.statusCode,
    responseExcerpt: outcome.responseExcerpt,
    error: outcome.error,
    succeeded: outcome.succeeded,
  });
  const attempted = {
    attemptCount: number,
    cycleAttempts,
    lastAttemptAt: at,
    lastStatusCode: outcome.statusCode,
    lastError: outcome.error,
    leaseExpiresAt: null,
  };
  if (outcome.succeeded) {
    await tx
      .update(d)
      .set({ ...attempted, status: 'succeeded', succeededAt: at, nextAttemptAt: null })
      .where(eq(d.id, delivery.id));
    await tx.update(webhooks).set({ failingSince: null, lastSuccessAt: at }).where(eq(webhooks.id, webhook.id));
    return 'succeeded';
  }

  const [hook] = await tx
    .update(webhooks)
    .set({ failingSince: sql`coalesce(${webhooks.failingSince}, ${timestamp(at)})`, lastFailureAt: at })
    .where(eq(webhooks.id, webhook.id))
    .returning();
  const gone = outcome.statusCode === 410;
  const failingTooLong =
    hook!.failingSince !== null && at.getTime() - hook!.failingSince.getTime() >= DISABLE_AFTER_FAILING_MS;
  const disable: WebhookDisabledReason | null = !hook!.active
    ? null
    : gone
      ? 'endpoint_gone'
      : failingTooLong
        ? 'failing'
        : null;
  if (disable) await disableWebhook(tx, ctx, hook!, disable, at);

  const scheduled = gone || disable ? undefined : retryDelaySeconds(cycleAttempts, random);
  if (scheduled === undefined) {
    await tx
      .update(d)
      .set({ ...attempted, status: 'dead_letter', nextAttemptAt: null })
      .where(eq(d.id, delivery.id));
    return 'dead_letter';
  }
  const wait = Math.max(scheduled, parseRetryAfter(outcome.retryAfter, at) ?? 0);
  await tx
    .update(d)
    .set({
      ...attempted,
      status: 'pending',
      nextAttemptAt: new Date(at.getTime() + wait * 1000),
      queuedAt: null,
      jobToken: null,
    })
    .where(eq(d.id, delivery.id));
  return 'retrying';
}

/** The platform turns the endpoint off and says why on the webhook; an admin turns it back on with PATCH. */
async function disableWebhook(
  tx: Executor,
  ctx: ServiceContext,
  hook: Webhook,
  reason: WebhookDisabledReason,
  at: Date,
): Promise<void> {
  await tx
    .update(webhooks)
    .set({ active: false, disabledReason: reason, disabledAt: at })
    .where(eq(webhooks.id, hook.id));
  await recordAudit(tx, systemContext(ctx, hook.organizationId), {
    action: 'webhook.disable',
    entityType: 'webhook',
    entityId: hook.id,
    before: { active: true, disabledReason: null },
    after: { active: false, disabledReason: reason, failingSince: hook.failingSince },
  });
  ctx.logger.log('warn', 'webhook disabled by the platform', {
    webhookId: hook.id,
    organizationId: hook.organizationId,
    reason,
  });
}
