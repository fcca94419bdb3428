import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookSecrets } from '../../../src/db/schema/index.ts';
import { loadConfig } from '../../../src/config.ts';
import { openSigningSecrets } from '../../../src/services/webhooks/secret-store.ts';
import { env } from 'cloudflare:test';
import { authHeaders, ORG_ID } from '../auth.ts';
import { readProblem } from '../helpers.ts';
import { createWebhook, receiverUrl, storedWebhook, webhookRequest, type CreatedWebhook } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, auditRows, useTenant } = useHarness();
const org = useTenant();
const secretKey = loadConfig(env).webhooks.secretKey;

describe('POST /api/v1/webhooks', () => {
  it('201 with Location and the signing secret once; the secret is stored encrypted, bound to its webhook', async () => {
    const url = receiverUrl('ok');
    const res = await webhookRequest('POST', '', org.users.org_admin.headers, {
      url,
      eventTypes: ['content.published', 'content.*'],
      description: '  CDN purge  ',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as CreatedWebhook;
    expect(res.headers.get('location')).toBe(`/api/v1/webhooks/${body.id}`);
    expect(body).toMatchObject({
      url,
      description: 'CDN purge',
      eventTypes: ['content.published', 'content.*'],
      active: true,
      status: 'active',
      disabledReason: null,
      failingSince: null,
      createdBy: org.users.org_admin.id,
    });
    // Standard Webhooks: whsec_ + base64 of 32 random bytes (at least 24 required).
    expect(body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(body.signingSecrets).toHaveLength(1);
    expect(body.signingSecrets[0]!.expiresAt).toBeNull();

    const rows = await db.select().from(webhookSecrets).where(eq(webhookSecrets.webhookId, body.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.ciphertext).toMatch(/^v1\./);
    expect(rows[0]!.ciphertext).not.toContain(body.secret.slice('whsec_'.length, 20));
    expect(await openSigningSecrets(secretKey, rows)).toEqual([body.secret]);
    // The ciphertext opens only where it was written: moved to another webhook it is refused.
    await expect(openSigningSecrets(secretKey, [{ ...rows[0]!, webhookId: crypto.randomUUID() }])).rejects.toThrow();
    expect((await storedWebhook(db, body.id))!.organizationId).toBe(org.id);
  });

  it('audits webhook.create with the configuration, never the secret', async () => {
    const hook = await createWebhook(org.users.org_admin.headers, { url: receiverUrl('ok'), eventTypes: ['*'] });
    const rows = await auditRows({ type: 'webhook', id: hook.id, action: 'webhook.create' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      organizationId: org.id,
      actorType: 'user',
      actorId: org.users.org_admin.id,
      entityType: 'webhook',
    });
    expect(rows[0]!.changes.after).toMatchObject({ url: hook.url, eventTypes: ['*'], active: true });
    expect(JSON.stringify(rows[0])).not.toContain(hook.secret.slice('whsec_'.length));
  });

  it('keeps each subscribed event type once, and may start turned off', async () => {
    const hook = await createWebhook(org.users.org_admin.headers, {
      url: receiverUrl('ok'),
      eventTypes: ['content.archived', 'content.archived', 'content.restored'],
      active: false,
    });
    expect(hook).toMatchObject({
      eventTypes: ['content.archived', 'content.restored'],
      active: false,
      status: 'inactive',
    });
  });

  it.each([
    ['no url', { eventTypes: ['*'] }, 'body.url'],
    ['a url that is not a URL', { url: 'hooks.example.com', eventTypes: ['*'] }, 'body.url'],
    ['a url of another scheme', { url: 'ftp://hooks.example.com/x', eventTypes: ['*'] }, 'body.url'],
    [
      'a url over 2048 characters',
      { url: `https://hooks.example.com/${'a'.repeat(2050)}`, eventTypes: ['*'] },
      'body.url',
    ],
    ['no event types', { url: 'https://public.test/x', eventTypes: [] }, 'body.eventTypes'],
    ['an unknown event type', { url: 'https://public.test/x', eventTypes: ['user.created'] }, 'body.eventTypes.0'],
    [
      'a description over 500 characters',
      { url: 'https://public.test/x', eventTypes: ['*'], description: 'd'.repeat(501) },
      'body.description',
    ],
    ['an unknown field', { url: 'https://public.test/x', eventTypes: ['*'], retries: 3 }, 'body.retries'],
    [
      'a server-owned secret',
      { url: 'https://public.test/x', eventTypes: ['*'], secret: 'whsec_bWluZQ==' },
      'body.secret',
    ],
    ['a server-owned status', { url: 'https://public.test/x', eventTypes: ['*'], status: 'active' }, 'body.status'],
    [
      'another organization',
      { url: 'https://public.test/x', eventTypes: ['*'], organizationId: ORG_ID.globex },
      'body.organizationId',
    ],
  ])('400 naming the field for %s', async (_label, body, path) => {
    const res = await webhookRequest('POST', '', org.users.org_admin.headers, body);
    expect(res.status).toBe(400);
    const problem = await readProblem(res);
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.path)).toContain(path);
  });

  it('401 without credentials; 403 for editor, approver and viewer', async () => {
    const body = { url: receiverUrl('ok'), eventTypes: ['*'] };
    expect((await webhookRequest('POST', '', {}, body)).status).toBe(401);
    for (const role of ['editor', 'approver', 'viewer'] as const) {
      const res = await webhookRequest('POST', '', org.users[role].headers, body);
      expect(res.status, role).toBe(403);
      expect((await readProblem(res)).code).toBe('forbidden');
    }
  });

  it('a super_admin creates webhooks in the organization it acts in', async () => {
    const hook = await createWebhook(await authHeaders('super_admin', 'demo', { 'x-organization-id': org.id }), {
      url: receiverUrl('ok'),
      active: false,
    });
    expect((await storedWebhook(db, hook.id))!.organizationId).toBe(org.id);
  });

  it('replays a retried create with the same Idempotency-Key instead of creating a second webhook', async () => {
    const headers = { ...org.users.org_admin.headers, 'idempotency-key': crypto.randomUUID() };
    const body = { url: receiverUrl('ok'), eventTypes: ['*'], active: false };
    const first = await webhookRequest('POST', '', headers, body);
    const second = await webhookRequest('POST', '', headers, body);
    expect(first.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as CreatedWebhook).id).toBe(((await first.json()) as CreatedWebhook).id);
  });
});
