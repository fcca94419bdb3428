import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookSecrets } from '../../../src/db/schema/index.ts';
import { dispatchWebhookDeliveries, LOST_ATTEMPT_ERROR } from '../../../src/services/webhooks/dispatch-deliveries.ts';
import { MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from '../../../src/services/webhooks/retry-schedule.ts';
import {
  contentEvent,
  createWebhook,
  deliveryRow,
  jobOf,
  listDeliveries,
  receiverUrl,
  recorded,
  useRecordingQueue,
  webhookRequest,
  type CreatedWebhook,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, context, useTenant } = useHarness();
const org = useTenant();
const queue = useRecordingQueue(context);
const steady = { random: () => 0.5 };

/** A webhook of its own event type, so the file's events reach one endpoint at a time. */
async function hook(type: string): Promise<{ hook: CreatedWebhook; url: string }> {
  const url = receiverUrl('ok');
  return { hook: await createWebhook(org.users.org_admin.headers, { url, eventTypes: [type] }), url };
}

const turnOff = (created: CreatedWebhook) =>
  webhookRequest('PATCH', `/${created.id}`, org.users.org_admin.headers, { active: false });

describe('poison webhook deliveries', () => {
  it('a signing secret that cannot be decrypted is a failed attempt, retried on schedule, then dead-lettered', async () => {
    const { hook: created, url } = await hook('content.archived');
    // What a changed WEBHOOK_SECRET_KEY, or a damaged row, looks like: ciphertext that does not open.
    await db
      .update(webhookSecrets)
      .set({ ciphertext: 'v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .where(eq(webhookSecrets.webhookId, created.id));
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.archived'));
    const { deliveryId } = jobOf(job!);

    const first = await queue.attempt(job!, steady);
    expect(first.result).toBe('retrying');
    expect(first.jobs.map((j) => j.delaySeconds)).toEqual([RETRY_DELAYS_SECONDS[0]]);
    const [logged] = await listDeliveries(org, created.id);
    expect(logged).toMatchObject({ status: 'pending', attemptCount: 1, lastStatusCode: null });
    expect(logged!.attempts).toMatchObject([{ number: 1, succeeded: false, statusCode: null }]);
    expect(logged!.attempts[0]!.error).toMatch(/^not sent: the signing secret cannot be decrypted/);

    // The last attempt the schedule allows: the delivery is dead-lettered, not reclaimed ever after.
    await db
      .update(webhookDeliveries)
      .set({ cycleAttempts: MAX_ATTEMPTS - 1 })
      .where(eq(webhookDeliveries.id, deliveryId));
    const last = await queue.attempt(first.jobs[0]!, steady);
    expect(last).toEqual({ result: 'dead_letter', jobs: [] });
    expect(await deliveryRow(db, deliveryId)).toMatchObject({ status: 'dead_letter', attemptCount: 2 });
    expect(await recorded(url)).toEqual([]);
    await turnOff(created);
  });

  it('an attempt lost with its Worker (lease expired) is counted, retried on schedule, and ends dead-lettered', async () => {
    const { hook: created, url } = await hook('content.restored');
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.restored'));
    const { deliveryId } = jobOf(job!);
    const die = (cycleAttempts: number) =>
      db
        .update(webhookDeliveries)
        .set({
          status: 'sending',
          jobToken: null,
          queuedAt: null,
          cycleAttempts,
          leaseExpiresAt: new Date(Date.now() - 1000),
        })
        .where(eq(webhookDeliveries.id, deliveryId));

    await die(0);
    const now = new Date();
    expect(
      await dispatchWebhookDeliveries({ ctx: queue.ctx, input: { now, organizationId: org.id, ...steady } }),
    ).toMatchObject({ reclaimed: 1, sent: 1 });
    const [again] = queue.takeJobs();
    expect(again!.delaySeconds).toBe(RETRY_DELAYS_SECONDS[0]);
    expect(await deliveryRow(db, deliveryId)).toMatchObject({
      status: 'pending',
      attemptCount: 1,
      cycleAttempts: 1,
      lastError: LOST_ATTEMPT_ERROR,
    });

    await die(MAX_ATTEMPTS - 1);
    await dispatchWebhookDeliveries({ ctx: queue.ctx, input: { now: new Date(), organizationId: org.id } });
    expect(queue.takeJobs()).toEqual([]);
    expect(await deliveryRow(db, deliveryId)).toMatchObject({
      status: 'dead_letter',
      attemptCount: 2,
      nextAttemptAt: null,
    });
    const [logged] = await listDeliveries(org, created.id);
    expect(logged!.attempts.map((a) => [a.number, a.error, a.succeeded])).toEqual([
      [1, LOST_ATTEMPT_ERROR, false],
      [2, LOST_ATTEMPT_ERROR, false],
    ]);
    // The stale job of the lost attempt delivers nothing.
    expect((await queue.attempt(again!)).result).toBe('stale');
    expect(await recorded(url)).toEqual([]);
    await turnOff(created);
  });
});
