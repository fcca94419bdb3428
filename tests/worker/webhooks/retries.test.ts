import { createMessageBatch } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../../../src/db/schema/index.ts';
import { contentEventTypes } from '../../../src/events/content.ts';
import { dispatchWebhookDeliveries } from '../../../src/services/webhooks/dispatch-deliveries.ts';
import { RETRY_DELAYS_SECONDS } from '../../../src/services/webhooks/retry-schedule.ts';
import { eventRoutes, processBatch } from '../../../workers/queue.ts';
import {
  contentEvent,
  createWebhook,
  deliveriesOfEvent,
  deliveryRow,
  jobOf,
  listDeliveries,
  receiverUrl,
  recorded,
  storedWebhook,
  useRecordingQueue,
  verify,
  webhookRequest,
  type CreatedWebhook,
  type SentJob,
  type WebhookResource,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, context, auditRows, useTenant } = useHarness();
const org = useTenant();
const queue = useRecordingQueue(context);
/** No jitter: each retry waits exactly its scheduled delay. */
const steady = { random: () => 0.5 };
const HOUR = 3600_000;

let hooks = 0;

/** A webhook of its own event type (the previous ones are turned off by then), so events reach one endpoint. */
async function hookFor(scenario: string): Promise<{ hook: CreatedWebhook; url: string; type: string }> {
  const type = contentEventTypes[hooks++ % contentEventTypes.length]!;
  const url = receiverUrl(scenario);
  const hook = await createWebhook(org.users.org_admin.headers, { url, eventTypes: [type] });
  return { hook, url, type };
}

/** Fans one event out to `hook` only, and returns its first job. */
async function firstJob(hook: CreatedWebhook, type: string): Promise<SentJob> {
  const jobs = await queue.fanOut(contentEvent(org.id, type));
  const mine = [];
  for (const job of jobs) if ((await deliveryRow(db, jobOf(job).deliveryId)).webhookId === hook.id) mine.push(job);
  expect(mine).toHaveLength(1);
  return mine[0]!;
}

async function turnOff(hook: CreatedWebhook) {
  expect((await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false })).status).toBe(
    200,
  );
}

const getHook = async (id: string) =>
  (await (await webhookRequest('GET', `/${id}`, org.users.org_admin.headers)).json()) as WebhookResource;

describe('retries', () => {
  it('a receiver that fails k times then succeeds sees k+1 attempts, one webhook-id, growing delays, every one signed', async () => {
    const k = 3;
    const { hook, url, type } = await hookFor(`fail/${k}`);
    let job = await firstJob(hook, type);
    expect(job.delaySeconds).toBe(0);
    const results: string[] = [];
    const delays: Array<number | undefined> = [];
    for (;;) {
      const { result, jobs } = await queue.attempt(job, steady);
      results.push(result);
      if (jobs.length === 0) break;
      expect(jobs).toHaveLength(1);
      delays.push(jobs[0]!.delaySeconds);
      job = jobs[0]!;
    }
    expect(results).toEqual(['retrying', 'retrying', 'retrying', 'succeeded']);
    expect(delays).toEqual(RETRY_DELAYS_SECONDS.slice(0, k));

    const requests = await recorded(url);
    expect(requests).toHaveLength(k + 1);
    const deliveryId = jobOf(job).deliveryId;
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryId]));
    for (const request of requests)
      expect(verify(hook.secret, request)).toMatchObject({ type, organizationId: org.id });
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);

    const [logged] = await listDeliveries(org, hook.id);
    expect(logged).toMatchObject({
      id: deliveryId,
      status: 'succeeded',
      attemptCount: k + 1,
      lastStatusCode: 200,
      lastError: null,
      nextAttemptAt: null,
    });
    expect(logged!.attempts.map((a) => [a.number, a.statusCode, a.succeeded])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 500, false],
      [4, 200, true],
    ]);
    expect(logged!.attempts[0]).toMatchObject({ error: 'receiver answered 500', responseExcerpt: 'failure 1 of 3' });
    expect(await getHook(hook.id)).toMatchObject({ status: 'active', failingSince: null });
    await turnOff(hook);
  });

  it('a permanently failing receiver gets the whole schedule, the long waits through the cron, then the dead letter', async () => {
    const { hook, url, type } = await hookFor('status/500');
    let job: SentJob | undefined = await firstJob(hook, type);
    const deliveryId = jobOf(job).deliveryId;
    const waits: number[] = [];
    const results: string[] = [];
    while (job) {
      const { result, jobs } = await queue.attempt(job, steady);
      results.push(result);
      job = jobs[0];
      if (result !== 'retrying') break;
      const row = await deliveryRow(db, deliveryId);
      waits.push(Math.round((row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()) / 1000));
      if (!job) {
        // Beyond the queue's 12-hour maximum: nothing is queued until the cron finds it within reach.
        expect(row.queuedAt).toBeNull();
        const early = await dispatchWebhookDeliveries({
          ctx: queue.ctx,
          input: { now: new Date(), organizationId: org.id },
        });
        expect(early.sent).toBe(0);
        const later = new Date(row.nextAttemptAt!.getTime() - 11 * HOUR);
        expect(
          (await dispatchWebhookDeliveries({ ctx: queue.ctx, input: { now: later, organizationId: org.id } })).sent,
        ).toBe(1);
        [job] = queue.takeJobs();
        expect(job!.delaySeconds).toBe(11 * 3600);
      }
    }
    expect(results).toEqual([...Array(7).fill('retrying'), 'dead_letter']);
    expect(waits).toEqual([...RETRY_DELAYS_SECONDS]);
    const requests = await recorded(url);
    expect(requests).toHaveLength(8);
    expect(new Set(requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([deliveryId]));

    const dead = await listDeliveries(org, hook.id, '&status=dead_letter');
    expect(dead.map((d) => [d.id, d.attemptCount, d.lastStatusCode])).toEqual([[deliveryId, 8, 500]]);
    expect(await listDeliveries(org, hook.id, '&status=pending')).toEqual([]);
    // Failing for about 42 hours is not yet three days: the endpoint stays on.
    expect(await getHook(hook.id)).toMatchObject({ status: 'active', disabledReason: null });
    expect((await getHook(hook.id)).failingSince).not.toBeNull();
    await turnOff(hook);
  });

  it('410 Gone dead-letters at once and disables the endpoint; the organization sees why; PATCH turns it back on', async () => {
    const { hook, url, type } = await hookFor('status/410');
    const { result, jobs } = await queue.attempt(await firstJob(hook, type));
    expect(result).toBe('dead_letter');
    expect(jobs).toEqual([]);
    expect(await recorded(url)).toHaveLength(1);
    const disabled = await getHook(hook.id);
    expect(disabled).toMatchObject({ active: false, status: 'disabled', disabledReason: 'endpoint_gone' });
    expect(disabled.disabledAt).not.toBeNull();
    const [audit] = await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.disable' });
    expect(audit).toMatchObject({ actorType: 'system', actorId: null, organizationId: org.id });
    expect(audit!.changes.after).toMatchObject({ active: false, disabledReason: 'endpoint_gone' });
    // Nothing more is fanned out to it.
    expect(await queue.fanOut(contentEvent(org.id, type))).toEqual([]);

    const res = await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      active: true,
      status: 'active',
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    await turnOff(hook);
  });

  it('an endpoint that keeps failing for three days is disabled (reason failing); a success in between starts the count over', async () => {
    const { hook, type } = await hookFor('status/503');
    const job = await firstJob(hook, type);
    const t0 = Date.now();
    const first = await queue.attempt(job, steady);
    expect(first.result).toBe('retrying');
    const failingSince = (await storedWebhook(db, hook.id))!.failingSince!;
    expect(Math.abs(failingSince.getTime() - t0)).toBeLessThan(60_000);
    const later = new Date(failingSince.getTime() + 3 * 24 * HOUR + 60_000);
    const { result } = await queue.attempt(first.jobs[0]!, { ...steady, now: () => later });
    expect(result).toBe('dead_letter');
    expect(await getHook(hook.id)).toMatchObject({
      status: 'disabled',
      disabledReason: 'failing',
      disabledAt: later.toISOString(),
    });

    const recovering = await hookFor('fail/1');
    const again = await queue.attempt(await firstJob(recovering.hook, recovering.type), steady);
    expect((await storedWebhook(db, recovering.hook.id))!.failingSince).not.toBeNull();
    expect((await queue.attempt(again.jobs[0]!, steady)).result).toBe('succeeded');
    expect(await storedWebhook(db, recovering.hook.id)).toMatchObject({ failingSince: null, active: true });
    await turnOff(recovering.hook);
  });

  it('honours Retry-After on 429 and 503 as the least wait, up to a day', async () => {
    const limited = await hookFor('retry-after/429/3600');
    const { result, jobs } = await queue.attempt(await firstJob(limited.hook, limited.type), steady);
    expect(result).toBe('retrying');
    expect(jobs.map((j) => j.delaySeconds)).toEqual([3600]);

    const unavailable = await hookFor('retry-after/503/999999');
    const job = await firstJob(unavailable.hook, unavailable.type);
    const second = await queue.attempt(job, steady);
    expect(second.jobs).toEqual([]); // a day is beyond the queue's maximum: the cron sends it later
    const row = await deliveryRow(db, jobOf(job).deliveryId);
    expect((row.nextAttemptAt!.getTime() - row.lastAttemptAt!.getTime()) / 1000).toBe(24 * 3600);
    await turnOff(limited.hook);
    await turnOff(unavailable.hook);
  });

  it('gives up on a receiver that does not answer in time, and logs only the first KiB of a response', async () => {
    const slow = await hookFor('slow/3000');
    const job = await firstJob(slow.hook, slow.type);
    expect((await queue.attempt(job, { ...steady, timeoutMs: 200 })).result).toBe('retrying');
    expect(await deliveryRow(db, jobOf(job).deliveryId)).toMatchObject({
      lastStatusCode: null,
      lastError: 'no response within 200 ms',
    });

    const big = await hookFor('big');
    expect((await queue.attempt(await firstJob(big.hook, big.type))).result).toBe('succeeded');
    const [logged] = await listDeliveries(org, big.hook.id);
    expect(logged!.attempts[0]!.responseExcerpt).toBe('x'.repeat(1024));
    await turnOff(slow.hook);
    await turnOff(big.hook);
  });
});

describe('at most one successful delivery per (event, webhook)', () => {
  it('a redelivered job, the same job twice at once, and the event fanned out twice send once', async () => {
    const { hook, url, type } = await hookFor('ok');
    const event = contentEvent(org.id, type);
    const [job] = await queue.fanOut(event);
    expect(await queue.fanOut(event)).toEqual([]);
    expect(await deliveriesOfEvent(db, event.id)).toHaveLength(1);

    const [a, b] = await Promise.all([queue.attempt(job!), queue.attempt(job!)]);
    expect([a.result, b.result].sort()).toEqual(['stale', 'succeeded']);
    expect((await queue.attempt(job!)).result).toBe('stale');

    // Through the consumer itself, the queue redelivering the job twice in one batch and once more later.
    const batch = createMessageBatch('contentos-events', [
      { id: 'm1', timestamp: new Date(), attempts: 2, body: job!.body },
      { id: 'm2', timestamp: new Date(), attempts: 1, body: job!.body },
    ]);
    await processBatch(batch, queue.ctx, eventRoutes);
    expect(await recorded(url)).toHaveLength(1);
    await turnOff(hook);
  });

  it('a job superseded by a newer one (the cron resending a lost job) delivers nothing', async () => {
    const { hook, url, type } = await hookFor('ok');
    const job = await firstJob(hook, type);
    const { deliveryId } = jobOf(job);
    // The job is lost: overdue by more than ten minutes, so the cron sends a new one with a new token.
    await db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(webhookDeliveries.id, deliveryId));
    expect(
      (await dispatchWebhookDeliveries({ ctx: queue.ctx, input: { now: new Date(), organizationId: org.id } })).sent,
    ).toBe(1);
    const [resent] = queue.takeJobs();
    expect(jobOf(resent!).deliveryId).toBe(deliveryId);
    expect((await queue.attempt(job)).result).toBe('stale');
    expect((await queue.attempt(resent!)).result).toBe('succeeded');
    expect(await recorded(url)).toHaveLength(1);
    await turnOff(hook);
  });

  it('an attempt whose Worker died mid-send is made again by the cron once its lease expires', async () => {
    const { hook, url, type } = await hookFor('ok');
    const job = await firstJob(hook, type);
    const { deliveryId } = jobOf(job);
    await db
      .update(webhookDeliveries)
      .set({ status: 'sending', jobToken: null, queuedAt: null, leaseExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.id, deliveryId));
    const dispatched = await dispatchWebhookDeliveries({
      ctx: queue.ctx,
      input: { now: new Date(), organizationId: org.id },
    });
    expect(dispatched).toMatchObject({ reclaimed: 1, sent: 1 });
    const [again] = queue.takeJobs();
    expect((await queue.attempt(again!)).result).toBe('succeeded');
    expect(await recorded(url)).toHaveLength(1);
    await turnOff(hook);
  });

  it('sends nothing for a webhook turned off or deleted after the event', async () => {
    const off = await hookFor('ok');
    const offJob = await firstJob(off.hook, off.type);
    await turnOff(off.hook);
    expect((await queue.attempt(offJob)).result).toBe('dead_letter');
    expect(await deliveryRow(db, jobOf(offJob).deliveryId)).toMatchObject({
      status: 'dead_letter',
      attemptCount: 0,
      lastError: 'not sent: the webhook is turned off',
    });

    const gone = await hookFor('ok');
    const goneJob = await firstJob(gone.hook, gone.type);
    expect((await webhookRequest('DELETE', `/${gone.hook.id}`, org.users.org_admin.headers)).status).toBe(204);
    expect((await queue.attempt(goneJob)).result).toBe('stale');
    expect(await recorded(off.url)).toEqual([]);
    expect(await recorded(gone.url)).toEqual([]);
  });
});
