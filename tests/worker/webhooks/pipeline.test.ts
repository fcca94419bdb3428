import { describe, expect, it } from 'vitest';
import { call, eventually } from '../helpers.ts';
import { createWebhook, listDeliveries, receiverUrl, recorded, verify, webhookRequest } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { useTenant } = useHarness();
const org = useTenant();

describe('end to end through the real queue', () => {
  it('a content change reaches the subscribed webhook signed: outbox → relay → queue → fan-out → delivery job → receiver', async () => {
    const url = receiverUrl('ok');
    const hook = await createWebhook(org.users.org_admin.headers, { url, eventTypes: ['content.created'] });
    const ignored = await createWebhook(org.users.org_admin.headers, {
      url: receiverUrl('ok'),
      eventTypes: ['content.published'],
    });

    const res = await call('/api/v1/content', {
      method: 'POST',
      headers: { ...org.users.editor.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'education',
        title: `Webhook ${crypto.randomUUID()}`,
        body: 'Text.',
        platforms: ['web'],
      }),
    });
    expect(res.status).toBe(201);
    const item = (await res.json()) as { id: string; version: number };

    const [request] = await eventually(async () => {
      const got = await recorded(url);
      return got.length > 0 ? got : undefined;
    }, 10_000);
    const payload = verify(hook.secret, request!) as {
      id: string;
      type: string;
      organizationId: string;
      data: Record<string, unknown>;
    };
    expect(payload).toMatchObject({
      type: 'content.created',
      organizationId: org.id,
      data: { contentId: item.id, version: 1, status: 'draft', actor: { type: 'user', id: org.users.editor.id } },
    });

    const [delivery] = await eventually(async () => {
      const rows = await listDeliveries(org, hook.id);
      return rows[0]?.status === 'succeeded' ? rows : undefined;
    });
    expect(delivery).toMatchObject({
      id: request!.headers['webhook-id'],
      eventId: payload.id,
      eventType: 'content.created',
      attemptCount: 1,
    });
    expect(await listDeliveries(org, ignored.id)).toEqual([]);
    await webhookRequest('PATCH', `/${hook.id}`, org.users.org_admin.headers, { active: false });
  });
});
