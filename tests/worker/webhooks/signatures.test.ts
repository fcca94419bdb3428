import { describe, expect, it } from 'vitest';
import { Webhook as StandardWebhook, WebhookVerificationError } from 'standardwebhooks';
import { generateSigningSecret } from '../../../src/services/webhooks/signing.ts';
import { authHeaders } from '../auth.ts';
import { eventually } from '../helpers.ts';
import {
  contentEvent,
  createWebhook,
  listDeliveries,
  receiverUrl,
  recorded,
  useRecordingQueue,
  verify,
  webhookRequest,
  type CreatedWebhook,
  type DeliveryResource,
  type Recorded,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { context, auditRows, useTenant } = useHarness();
const org = useTenant();
const queue = useRecordingQueue(context);

/** POST /test through the real queue and consumer, then the request as the receiver got it. */
async function sendTest(
  hook: CreatedWebhook,
  url: string,
  expected: number,
): Promise<{ delivery: DeliveryResource; request: Recorded }> {
  const res = await webhookRequest('POST', `/${hook.id}/test`, org.users.org_admin.headers);
  expect(res.status, await res.clone().text()).toBe(202);
  const delivery = (await res.json()) as DeliveryResource;
  expect(delivery).toMatchObject({
    webhookId: hook.id,
    eventType: 'webhook.test',
    status: 'pending',
    attemptCount: 0,
    attempts: [],
  });
  const requests = await eventually(async () => {
    const got = await recorded(url);
    return got.length >= expected ? got : undefined;
  }, 10_000);
  return { delivery, request: requests.at(-1)! };
}

const tampered = (text: string, at: number) =>
  text.slice(0, at) + String.fromCharCode(text.charCodeAt(at) ^ 1) + text.slice(at + 1);

describe('Standard Webhooks signatures', () => {
  it('a test event arrives signed: it verifies with the shown secret and the standardwebhooks package; a changed byte does not', async () => {
    const url = receiverUrl('ok');
    const hook = await createWebhook(org.users.org_admin.headers, { url, eventTypes: ['content.schedule_failed'] });
    const { delivery, request } = await sendTest(hook, url, 1);

    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['user-agent']).toBe('ContentOS-Webhooks/1.0');
    expect(request.headers['webhook-id']).toBe(delivery.id);
    expect(Math.abs(Number(request.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(verify(hook.secret, request)).toEqual({
      id: delivery.eventId,
      type: 'webhook.test',
      timestamp: expect.any(String),
      organizationId: org.id,
      data: { webhookId: hook.id, message: expect.any(String), actor: { type: 'user', id: org.users.org_admin.id } },
    });

    for (let at = 0; at < request.body.length; at += 17) {
      expect(() => verify(hook.secret, { ...request, body: tampered(request.body, at) }), `byte ${at}`).toThrow(
        WebhookVerificationError,
      );
    }
    expect(() =>
      verify(hook.secret, { ...request, headers: { ...request.headers, 'webhook-id': `${delivery.id}x` } }),
    ).toThrow(WebhookVerificationError);
    expect(() =>
      verify(hook.secret, {
        ...request,
        headers: { ...request.headers, 'webhook-timestamp': String(Number(request.headers['webhook-timestamp']) + 1) },
      }),
    ).toThrow(WebhookVerificationError);
    expect(() => verify(generateSigningSecret(), request)).toThrow(WebhookVerificationError);

    const logged = await eventually(async () => {
      const [row] = await listDeliveries(org, hook.id, '&event=webhook.test');
      return row?.status === 'succeeded' ? row : undefined;
    });
    expect(logged).toMatchObject({
      id: delivery.id,
      attemptCount: 1,
      lastStatusCode: 200,
      attempts: [{ number: 1, statusCode: 200, succeeded: true, responseExcerpt: '{"received":true}', error: null }],
    });
    await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false });
  });

  it('during a rotation both secrets verify; after 24 hours only the new one signs', async () => {
    const url = receiverUrl('ok');
    const hook = await createWebhook(org.users.org_admin.headers, { url, eventTypes: ['content.compliance_reviewed'] });
    const res = await webhookRequest('POST', `/${hook.id}/rotate-secret`, org.users.org_admin.headers);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rotated = (await res.json()) as CreatedWebhook & { previousSecretExpiresAt: string };
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(hook.secret);
    expect(Math.abs(Date.parse(rotated.previousSecretExpiresAt) - (Date.now() + 24 * 3600_000))).toBeLessThan(60_000);
    expect(rotated.signingSecrets.map((s) => s.expiresAt)).toEqual([null, rotated.previousSecretExpiresAt]);

    const { request } = await sendTest(hook, url, 1);
    expect(request.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(verify(rotated.secret, request)).toMatchObject({ type: 'webhook.test' });
    expect(verify(hook.secret, request)).toMatchObject({ type: 'webhook.test' });
    expect(() => verify(generateSigningSecret(), request)).toThrow(WebhookVerificationError);

    const [audit] = await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.rotate_secret' });
    expect(audit).toMatchObject({ actorType: 'user', actorId: org.users.org_admin.id });
    for (const secret of [hook.secret, rotated.secret])
      expect(JSON.stringify(audit)).not.toContain(secret.slice('whsec_'.length));

    // A day and a minute later the old secret has expired: one signature, by the new secret.
    const later = new Date(Date.parse(rotated.previousSecretExpiresAt) + 60_000);
    const [job] = await queue.fanOut(contentEvent(org.id, 'content.compliance_reviewed'));
    expect((await queue.attempt(job!, { now: () => later })).result).toBe('succeeded');
    const last = (await recorded(url)).at(-1)!;
    const timestamp = new Date(Number(last.headers['webhook-timestamp']) * 1000);
    expect(timestamp.getTime()).toBe(Math.floor(later.getTime() / 1000) * 1000);
    expect(last.headers['webhook-signature']).toBe(
      new StandardWebhook(rotated.secret).sign(last.headers['webhook-id']!, timestamp, last.body),
    );
    await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false });
  });

  it('a second rotation within the day keeps the first rotated-out secret to its own expiry', async () => {
    const hook = await createWebhook(org.users.org_admin.headers, { url: receiverUrl('ok'), active: false });
    const first = (await (
      await webhookRequest('POST', `/${hook.id}/rotate-secret`, org.users.org_admin.headers)
    ).json()) as { previousSecretExpiresAt: string };
    const second = (await (
      await webhookRequest('POST', `/${hook.id}/rotate-secret`, org.users.org_admin.headers)
    ).json()) as CreatedWebhook & { previousSecretExpiresAt: string };
    expect(second.signingSecrets.map((s) => s.expiresAt)).toEqual([
      null,
      second.previousSecretExpiresAt,
      first.previousSecretExpiresAt,
    ]);
  });

  it('rotation: 404 for another organization, 403 below org_admin, 401 without credentials', async () => {
    const hook = await createWebhook(org.users.org_admin.headers, { url: receiverUrl('ok'), active: false });
    expect(
      (await webhookRequest('POST', `/${hook.id}/rotate-secret`, await authHeaders('org_admin', 'globex'))).status,
    ).toBe(404);
    expect((await webhookRequest('POST', `/${hook.id}/rotate-secret`, org.users.editor.headers)).status).toBe(403);
    expect((await webhookRequest('POST', `/${hook.id}/rotate-secret`, {})).status).toBe(401);
    expect(await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.rotate_secret' })).toEqual([]);
  });
});
