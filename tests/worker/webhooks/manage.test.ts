import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookSecrets } from '../../../src/db/schema/index.ts';
import { authHeaders } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import {
  createWebhook,
  receiverUrl,
  storedWebhook,
  useRecordingQueue,
  contentEvent,
  webhookRequest,
  type WebhookResource,
} from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, context, auditRows, useTenant } = useHarness();
const org = useTenant();
const other = useTenant();
const queue = useRecordingQueue(context);
const admin = () => org.users.org_admin.headers;

describe('GET /api/v1/webhooks and /api/v1/webhooks/{id}', () => {
  it("lists the organization's webhooks newest first, paginated, without secrets; gets one", async () => {
    const a = await createWebhook(admin(), { url: receiverUrl('ok'), active: false, description: 'first' });
    const b = await createWebhook(admin(), { url: receiverUrl('ok'), active: false, description: 'second' });
    const res = await webhookRequest('GET', '?limit=100', admin());
    expect(res.status).toBe(200);
    const page = (await res.json()) as {
      data: WebhookResource[];
      total: number;
      page: number;
      limit: number;
      totalPages: number;
    };
    const ids = page.data.map((w) => w.id);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(a.id));
    expect(page).toMatchObject({ page: 1, limit: 100, totalPages: 1 });
    expect(page.total).toBe(page.data.length);
    const text = JSON.stringify(page);
    expect(text).not.toContain(a.secret);
    expect(text).not.toContain('"secret"');

    const got = await webhookRequest('GET', `/${a.id}`, admin());
    expect(got.status).toBe(200);
    const { secret: _secret, ...shown } = a;
    expect(await got.json()).toEqual(shown);

    const small = (await (await webhookRequest('GET', '?limit=1&page=2', admin())).json()) as {
      data: WebhookResource[];
      totalPages: number;
    };
    expect(small.data).toHaveLength(1);
    expect(small.totalPages).toBe(page.total);
  });

  it('another organization sees none of them: 404 on the id, absent from its list', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), active: false });
    const globex = await authHeaders('org_admin', 'globex');
    expect((await webhookRequest('GET', `/${hook.id}`, globex)).status).toBe(404);
    expect((await webhookRequest('GET', `/${hook.id}`, other.users.org_admin.headers)).status).toBe(404);
    const list = (await (await webhookRequest('GET', '?limit=100', other.users.org_admin.headers)).json()) as {
      data: WebhookResource[];
    };
    expect(list.data.map((w) => w.id)).not.toContain(hook.id);
  });

  it('400 for a malformed id or query, 404 for an unknown id, 403 below org_admin, 401 anonymous', async () => {
    expect((await webhookRequest('GET', '/123', admin())).status).toBe(400);
    expect((await webhookRequest('GET', '?limit=1000', admin())).status).toBe(400);
    expect((await webhookRequest('GET', '?status=active', admin())).status).toBe(400);
    expect((await webhookRequest('GET', `/${crypto.randomUUID()}`, admin())).status).toBe(404);
    for (const role of ['editor', 'approver', 'viewer'] as const)
      expect((await webhookRequest('GET', '', org.users[role].headers)).status, role).toBe(403);
    expect((await webhookRequest('GET', '', {})).status).toBe(401);
  });
});

describe('PATCH /api/v1/webhooks/{id}', () => {
  it('changes URL, events, description and the switch; audits what changed; a no-op writes nothing', async () => {
    const hook = await createWebhook(admin(), {
      url: receiverUrl('ok'),
      eventTypes: ['content.published'],
      description: 'old',
    });
    const url = receiverUrl('ok');
    const res = await webhookRequest('PATCH', `/${hook.id}`, admin(), {
      url,
      eventTypes: ['content.*'],
      description: null,
      active: false,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      url,
      eventTypes: ['content.*'],
      description: null,
      active: false,
      status: 'inactive',
      disabledReason: null,
    });
    const [audit] = await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.update' });
    expect(audit!.changes).toEqual({
      before: { url: hook.url, eventTypes: ['content.published'], description: 'old', active: true },
      after: { url, eventTypes: ['content.*'], description: null, active: false },
    });
    expect((await webhookRequest('PATCH', `/${hook.id}`, admin(), { active: false, description: null })).status).toBe(
      200,
    );
    expect(await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.update' })).toHaveLength(1);
  });

  it('400 for an empty body, unknown or server-owned fields; 404 across organizations (unchanged); 403 below org_admin', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), active: false });
    for (const [body, path] of [
      [{}, 'body'],
      [{ secret: 'whsec_x' }, 'body.secret'],
      [{ status: 'active' }, 'body.status'],
      [{ disabledReason: null }, 'body.disabledReason'],
      [{ eventTypes: ['nope'] }, 'body.eventTypes.0'],
      [{ active: 'yes' }, 'body.active'],
    ] as const) {
      const res = await webhookRequest('PATCH', `/${hook.id}`, admin(), body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await readProblem(res)).errors.map((e) => e.path)).toContain(path);
    }
    const before = await storedWebhook(db, hook.id);
    expect(
      (await webhookRequest('PATCH', `/${hook.id}`, await authHeaders('org_admin', 'globex'), { active: true })).status,
    ).toBe(404);
    expect((await webhookRequest('PATCH', `/${hook.id}`, org.users.editor.headers, { active: true })).status).toBe(403);
    expect(await storedWebhook(db, hook.id)).toEqual(before);
  });
});

describe('DELETE /api/v1/webhooks/{id}', () => {
  it('deletes the webhook with its secrets and delivery log, audited; then 404', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), eventTypes: ['content.restored'] });
    await queue.fanOut(contentEvent(org.id, 'content.restored'));
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).toHaveLength(1);
    const res = await webhookRequest('DELETE', `/${hook.id}`, admin());
    expect(res.status).toBe(204);
    expect(await storedWebhook(db, hook.id)).toBeUndefined();
    expect(await db.select().from(webhookSecrets).where(eq(webhookSecrets.webhookId, hook.id))).toEqual([]);
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).toEqual([]);
    const [audit] = await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.delete' });
    expect(audit!.changes.before).toMatchObject({ url: hook.url, eventTypes: ['content.restored'] });
    expect((await webhookRequest('DELETE', `/${hook.id}`, admin())).status).toBe(404);
  });

  it('404 for another organization and 403 below org_admin; the webhook stays', async () => {
    const hook = await createWebhook(admin(), { url: receiverUrl('ok'), active: false });
    expect((await webhookRequest('DELETE', `/${hook.id}`, await authHeaders('org_admin', 'globex'))).status).toBe(404);
    expect((await webhookRequest('DELETE', `/${hook.id}`, org.users.viewer.headers)).status).toBe(403);
    expect((await webhookRequest('DELETE', `/${hook.id}`, {})).status).toBe(401);
    expect(await storedWebhook(db, hook.id)).toBeDefined();
    expect(await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.delete' })).toEqual([]);
  });
});
