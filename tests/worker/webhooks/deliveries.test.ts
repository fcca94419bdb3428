import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookDeliveries } from '../../../src/db/schema/index.ts';
import { authHeaders } from '../auth.ts';
import { eventually, readProblem } from '../helpers.ts';
import {
  contentEvent,
  createWebhook,
  deliveriesOfEvent,
  deliveryRow,
  jobOf,
  listDeliveries,
  receiverUrl,
  recorded,
  useRecordingQueue,
  verify,
  webhookRequest,
  type DeliveryResource,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, context, auditRows, useTenant } = useHarness();
const org = useTenant();
const neighbour = useTenant();
const queue = useRecordingQueue(context);
const admin = () => org.users.org_admin.headers;

describe('GET /api/v1/webhooks/{id}/deliveries', () => {
  it('logs every delivery with its attempts, newest first, filtered by status and by event type or id', async () => {
    const url = receiverUrl('fail/1');
    const hook = await createWebhook(admin(), { url, eventTypes: ['content.published', 'content.archived'] });
    const published = contentEvent(org.id, 'content.published');
    const archived = contentEvent(org.id, 'content.archived');
    const [first] = await queue.fanOut(published);
    expect((await queue.attempt(first!)).result).toBe('retrying');
    const [second] = await queue.fanOut(archived);
    expect((await queue.attempt(second!)).result).toBe('succeeded');

    const all = await listDeliveries(org, hook.id);
    expect(all.map((d) => [d.eventType, d.status])).toEqual([
      ['content.archived', 'succeeded'],
      ['content.published', 'pending'],
    ]);
    expect(all[1]).toMatchObject({
      eventId: published.id,
      attemptCount: 1,
      lastStatusCode: 500,
      lastError: 'receiver answered 500',
    });
    expect(Date.parse(all[1]!.nextAttemptAt!)).toBeGreaterThan(Date.now());
    expect(all[1]!.payload).toEqual({
      id: published.id,
      type: 'content.published',
      timestamp: published.occurredAt,
      organizationId: org.id,
      data: published.data,
    });
    expect(all[1]!.attempts).toEqual([
      {
        number: 1,
        attemptedAt: expect.any(String),
        durationMs: expect.any(Number),
        statusCode: 500,
        responseExcerpt: 'failure 1 of 1',
        error: 'receiver answered 500',
        succeeded: false,
      },
    ]);

    expect((await listDeliveries(org, hook.id, '&status=succeeded')).map((d) => d.eventId)).toEqual([archived.id]);
    expect((await listDeliveries(org, hook.id, '&event=content.published')).map((d) => d.eventId)).toEqual([
      published.id,
    ]);
    expect((await listDeliveries(org, hook.id, `&event=${archived.id}`)).map((d) => d.eventId)).toEqual([archived.id]);
    expect(await listDeliveries(org, hook.id, '&status=dead_letter')).toEqual([]);
    expect((await webhookRequest('GET', `/${hook.id}/deliveries?status=failed`, admin())).status).toBe(400);
    await webhookRequest('PATCH', `/${hook.id}`, admin(), { active: false });
  });

  it('404 for another organization (even with its own webhook of the same id space), 403 below org_admin', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), active: false });
    expect(
      (await webhookRequest('GET', `/${hook.id}/deliveries`, await authHeaders('org_admin', 'globex'))).status,
    ).toBe(404);
    expect((await webhookRequest('GET', `/${hook.id}/deliveries`, neighbour.users.org_admin.headers)).status).toBe(404);
    expect((await webhookRequest('GET', `/${hook.id}/deliveries`, org.users.approver.headers)).status).toBe(403);
  });
});

describe('POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/replay', () => {
  it('sends a dead-lettered delivery again through the queue: same webhook-id and body, a fresh schedule, audited', async () => {
    const url = receiverUrl('fail/1');
    const hook = await createWebhook(admin(), { url, eventTypes: ['content.unscheduled'] });
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.unscheduled'));
    expect((await queue.attempt(job!)).result).toBe('retrying');
    const { deliveryId } = jobOf(job!);
    // As if the whole schedule had failed.
    await db
      .update(webhookDeliveries)
      .set({ status: 'dead_letter', nextAttemptAt: null, queuedAt: null, jobToken: null })
      .where(eq(webhookDeliveries.id, deliveryId));

    const res = await webhookRequest('POST', `/${hook.id}/deliveries/${deliveryId}/replay`, admin());
    expect(res.status, await res.clone().text()).toBe(202);
    expect(await res.json()).toMatchObject({ id: deliveryId, status: 'pending', attemptCount: 1 });
    const requests = await eventually(async () => {
      const got = await recorded(url);
      return got.length >= 2 ? got : undefined;
    }, 10_000);
    expect(requests[1]!.headers['webhook-id']).toBe(deliveryId);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(verify(hook.secret, requests[1]!)).toMatchObject({ type: 'content.unscheduled' });
    const done = await eventually(async () => {
      const row = await deliveryRow(db, deliveryId);
      return row.status === 'succeeded' ? row : undefined;
    });
    expect(done).toMatchObject({ attemptCount: 2, cycleAttempts: 1, lastStatusCode: 200 });
    const [audit] = await auditRows({ type: 'webhook_delivery', id: deliveryId, action: 'webhook.delivery_replay' });
    expect(audit).toMatchObject({ entityType: 'webhook_delivery', actorId: org.users.org_admin.id });
    expect(audit!.changes).toEqual({
      before: { status: 'dead_letter', webhookId: null, eventId: null },
      after: { status: 'pending', webhookId: hook.id, eventId: expect.any(String) },
    });
    await webhookRequest('PATCH', `/${hook.id}`, admin(), { active: false });
  });

  it('409 while the delivery is still pending; 422 while the webhook is off; 404 for another webhook or organization', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), eventTypes: ['content.submitted'] });
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.submitted'));
    const { deliveryId } = jobOf(job!);
    const pending = await webhookRequest('POST', `/${hook.id}/deliveries/${deliveryId}/replay`, admin());
    expect(pending.status).toBe(409);
    expect((await readProblem(pending)).code).toBe('delivery_in_progress');

    expect((await queue.attempt(job!)).result).toBe('succeeded');
    await webhookRequest('PATCH', `/${hook.id}`, admin(), { active: false });
    const off = await webhookRequest('POST', `/${hook.id}/deliveries/${deliveryId}/replay`, admin());
    expect(off.status).toBe(422);
    expect((await readProblem(off)).code).toBe('webhook_inactive');

    const otherHook = await createWebhook(admin(), { url: receiverUrl('ok'), active: false });
    expect((await webhookRequest('POST', `/${otherHook.id}/deliveries/${deliveryId}/replay`, admin())).status).toBe(
      404,
    );
    expect(
      (
        await webhookRequest(
          'POST',
          `/${hook.id}/deliveries/${deliveryId}/replay`,
          await authHeaders('org_admin', 'globex'),
        )
      ).status,
    ).toBe(404);
    expect((await webhookRequest('POST', `/${hook.id}/deliveries/${crypto.randomUUID()}/replay`, admin())).status).toBe(
      404,
    );
    expect((await webhookRequest('POST', `/${hook.id}/deliveries/nope/replay`, admin())).status).toBe(400);
    expect(
      (await webhookRequest('POST', `/${hook.id}/deliveries/${deliveryId}/replay`, org.users.editor.headers)).status,
    ).toBe(403);
    expect(await deliveryRow(db, deliveryId)).toMatchObject({ status: 'succeeded', attemptCount: 1 });
    expect(await auditRows({ type: 'webhook_delivery', id: deliveryId, action: 'webhook.delivery_replay' })).toEqual(
      [],
    );
  });
});

describe('POST /api/v1/webhooks/{id}/test', () => {
  it('queues a webhook.test delivery for that webhook alone, even while it is off, and audits it', async () => {
    const url = receiverUrl('ok');
    const hook = await createWebhook(admin(), { url, eventTypes: ['content.created'], active: false });
    const res = await webhookRequest('POST', `/${hook.id}/test`, admin());
    expect(res.status).toBe(202);
    const delivery = (await res.json()) as DeliveryResource;
    const [request] = await eventually(
      async () => ((await recorded(url)).length > 0 ? recorded(url) : undefined),
      10_000,
    );
    expect(request!.headers['webhook-id']).toBe(delivery.id);
    expect(await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.test' })).toHaveLength(1);
  });

  it('404 for another organization, 403 below org_admin; nothing is sent', async () => {
    const url = receiverUrl('ok');
    const hook = await createWebhook(admin(), { url, active: false });
    expect((await webhookRequest('POST', `/${hook.id}/test`, await authHeaders('org_admin', 'globex'))).status).toBe(
      404,
    );
    expect((await webhookRequest('POST', `/${hook.id}/test`, org.users.viewer.headers)).status).toBe(403);
    expect(await listDeliveries(org, hook.id)).toEqual([]);
    expect(await recorded(url)).toEqual([]);
  });
});

describe('tenant isolation of events', () => {
  it("an event reaches only its own organization's webhooks, and carries that organization", async () => {
    const mine = await createWebhook(admin(), { url: receiverUrl('ok'), eventTypes: ['*'] });
    const theirs = await createWebhook(neighbour.users.org_admin.headers, {
      url: receiverUrl('ok'),
      eventTypes: ['*'],
    });
    const event = contentEvent(org.id, 'content.rejected');
    const jobs = await queue.fanOut(event);
    const deliveries = await deliveriesOfEvent(db, event.id);
    expect(deliveries.map((d) => d.webhookId)).toContain(mine.id);
    expect(deliveries.map((d) => d.webhookId)).not.toContain(theirs.id);
    expect(new Set(deliveries.map((d) => d.organizationId))).toEqual(new Set([org.id]));
    expect(new Set(jobs.map((j) => j.body.organizationId))).toEqual(new Set([org.id]));
    expect(JSON.parse(deliveries[0]!.payload)).toMatchObject({ organizationId: org.id });
    await webhookRequest('PATCH', `/${mine.id}`, admin(), { active: false });
    await webhookRequest('PATCH', `/${theirs.id}`, neighbour.users.org_admin.headers, { active: false });
  });
});
