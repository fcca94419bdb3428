import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseEventAs } from '../../../src/events/catalogue.ts';
import { contentEvents, type ContentEventType } from '../../../src/events/content.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { refreshDeliveryCache } from '../../../src/services/delivery/refresh-delivery-cache.ts';
import { createBackgroundContext } from '../../../workers/background-context.ts';
import { call, eventually } from '../helpers.ts';
import { act, tenantItem, putCompliance, putContent } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';
import { content } from '../../../src/db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { useHarness } from '../harness.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);

interface Page {
  data: { id: string; version: number }[];
}
const itemPath = (id: string) => `${org.slug}/content/${id}`;
const ids = (page: Page | undefined) => page?.data.map((item) => item.id) ?? [];
/** A content event as the consumer gets it (parsed against the catalogue). */
const contentEvent = (type: ContentEventType, organizationId: string, contentId: string, version = 1) =>
  parseEventAs(contentEvents[type], newEvent(type, organizationId, { contentId, version }));
const epochOf = async () =>
  ((await env.DELIVERY_CACHE.get(deliveryKeys.epoch(org.id), 'json')) as { epoch: string } | null)?.epoch;

describe('invalidation through outbox events and the queue', () => {
  it('publish, unpublish, archive and republish each rewrite the item and move the lists to a new epoch', async () => {
    const item = await publishedItem(db, org, { platforms: ['lifecycle'], title: 'First' });
    const token = bearer(org.token);
    await untilDelivered<{ version: number }>(
      itemPath(item.id),
      token,
      (s, b) => s === 200 && b?.version === item.version,
    );
    await untilDelivered<Page>(`${org.slug}/content?platform=lifecycle`, token, (_s, page) =>
      ids(page).includes(item.id),
    );
    const epochs = [await epochOf()];

    expect((await act(item.id, 'unpublish', org.users.editor.headers)).status).toBe(200);
    await untilDelivered(itemPath(item.id), token, (s) => s === 404);
    await untilDelivered<Page>(
      `${org.slug}/content?platform=lifecycle`,
      token,
      (_s, page) => !ids(page).includes(item.id),
    );
    epochs.push(await epochOf());
    // The tombstone answers from KV, without asking Postgres.
    expect(
      (await env.DELIVERY_CACHE.get(deliveryKeys.item(org.id, item.id), 'json')) as { item: unknown },
    ).toMatchObject({ item: null });

    // Republish a new version: edit, review, approve, publish.
    expect((await putContent(item.id, org.users.editor.headers, { title: 'Second' })).status).toBe(200);
    await db.update(content).set({ qualityScore: 8 }).where(eq(content.id, item.id));
    // Unpublished at item.version + 1, edited at + 2: the sign-offs name the version they act on.
    const ifMatch = (plus: number) => ({ 'if-match': `"${item.version + plus}"` });
    expect((await putCompliance(item.id, org.users.approver.headers, { status: 'approved' }, ifMatch(2))).status).toBe(
      200,
    );
    expect((await act(item.id, 'submit', org.users.editor.headers)).status).toBe(200);
    expect((await act(item.id, 'approve', org.users.approver.headers, undefined, ifMatch(4))).status).toBe(200);
    const publish = await act(item.id, 'publish', org.users.editor.headers, undefined, ifMatch(5));
    const republished = (await publish.json()) as { version: number };
    const fresh = await untilDelivered<{ version: number; title: string }>(
      itemPath(item.id),
      token,
      (s, b) => s === 200 && b?.version === republished.version,
    );
    expect(fresh.body!.title).toBe('Second');
    await untilDelivered<Page>(
      `${org.slug}/content?platform=lifecycle`,
      token,
      (_s, page) => page?.data[0]?.version === republished.version,
    );
    epochs.push(await epochOf());

    expect((await act(item.id, 'archive', org.users.org_admin.headers)).status).toBe(200);
    await untilDelivered(itemPath(item.id), token, (s) => s === 404);
    await untilDelivered<Page>(
      `${org.slug}/content?platform=lifecycle`,
      token,
      (_s, page) => !ids(page).includes(item.id),
    );
    epochs.push(await epochOf());
    expect(new Set(epochs).size).toBe(epochs.length);
  });

  it('a list page is never mixed across an epoch: a cached page is replaced whole, not patched', async () => {
    const platform = `mix${crypto.randomUUID().slice(0, 6)}`;
    const first = await publishedItem(db, org, { platforms: [platform] });
    const token = bearer(org.token);
    const before = await untilDelivered<Page>(`${org.slug}/content?platform=${platform}`, token, (_s, page) =>
      ids(page).includes(first.id),
    );
    const epochBefore = await epochOf();
    const second = await publishedItem(db, org, { platforms: [platform] });
    const after = await untilDelivered<Page>(`${org.slug}/content?platform=${platform}`, token, (_s, page) =>
      ids(page).includes(second.id),
    );
    expect(await epochOf()).not.toBe(epochBefore);
    expect(ids(before.body)).toEqual([first.id]);
    expect(ids(after.body)).toEqual([second.id, first.id]);
    // The page cached under the old epoch still holds the old state whole; readers just no longer see it.
    const oldKeys = await env.DELIVERY_CACHE.list({ prefix: `org:${org.id}:delivery:list:${epochBefore}:` });
    for (const key of oldKeys.keys) {
      const entry = (await env.DELIVERY_CACHE.get(key.name, 'json')) as { body: Page };
      expect(entry.body.data.some((i) => i.id === second.id)).toBe(false);
    }
  });

  it('the consumer writes what Postgres says is live, so a late or repeated event cannot roll KV back', async () => {
    const item = await publishedItem(db, org);
    const ctx = createBackgroundContext(env, { test: 'invalidation' });
    const key = deliveryKeys.item(org.id, item.id);
    await eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? undefined : true));
    // An old event (an approval) arriving after the publish changes nothing.
    const stale = contentEvent('content.approved', org.id, item.id, item.version - 1);
    expect(await refreshDeliveryCache(stale, ctx)).toEqual({ written: false, version: null, epoch: null });
    // Neither does a repeated or late publish event, and an empty KV is refilled with the live version.
    await refreshDeliveryCache(contentEvent('content.unpublished', org.id, item.id), ctx);
    const entry = (await env.DELIVERY_CACHE.get(key, 'json')) as { item: { version: number } };
    expect(entry.item.version).toBe(item.version);
    await env.DELIVERY_CACHE.delete(key);
    expect(await refreshDeliveryCache(contentEvent('content.published', org.id, item.id), ctx)).toMatchObject({
      written: true,
      version: item.version,
    });
    expect(((await env.DELIVERY_CACHE.get(key, 'json')) as { item: { version: number } }).item.version).toBe(
      item.version,
    );
    // KV holding the live version already is no reason to skip: a KV read can be a location's cached copy
    // that only looks current. The live state is written again and the lists move on.
    const epoch = await epochOf();
    expect(await refreshDeliveryCache(contentEvent('content.published', org.id, item.id), ctx)).toMatchObject({
      written: true,
      version: item.version,
    });
    expect(await epochOf()).not.toBe(epoch);
    // A draft that was never live: no tombstone, no epoch move.
    const draft = await tenantItem(db, org, { status: 'draft' });
    expect(await refreshDeliveryCache(contentEvent('content.updated', org.id, draft.id), ctx)).toEqual({
      written: false,
      version: null,
      epoch: null,
    });
    expect(await env.DELIVERY_CACHE.get(deliveryKeys.item(org.id, draft.id))).toBeNull();
    await ctx.services.dispose();
  });

  it('never trusts a KV read that looks current: a stale copy at the consumer cannot keep retracted content served', async () => {
    const item = await publishedItem(db, org);
    const key = deliveryKeys.item(org.id, item.id);
    await eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? undefined : true));
    // Retracted in Postgres; the store still holds the live version (that write was lost), while reads where
    // the consumer runs answer from a cached copy that already shows the tombstone.
    await db.update(content).set({ publishedVersion: null, status: 'approved' }).where(eq(content.id, item.id));
    const tombstone = JSON.stringify({ item: null, storedAt: new Date().toISOString() });
    const staleReads = new Proxy(env.DELIVERY_CACHE, {
      get(target, prop) {
        if (prop === 'get') {
          return (k: string, type?: string) =>
            k === key
              ? Promise.resolve(type === 'json' ? JSON.parse(tombstone) : tombstone)
              : target.get(k, type as 'json');
        }
        const value = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const ctx = harness.context({ DELIVERY_CACHE: staleReads });
    await refreshDeliveryCache(contentEvent('content.unpublished', org.id, item.id), ctx);
    expect(await env.DELIVERY_CACHE.get(key, 'json')).toMatchObject({ item: null });
    await untilDelivered(itemPath(item.id), bearer(org.token), (s) => s === 404);
  });

  it('entries the consumer writes for live items expire (DELIVERY_ENTRY_TTL_SECONDS), a backstop for lost events', async () => {
    const item = await publishedItem(db, org);
    const key = deliveryKeys.item(org.id, item.id);
    await eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? undefined : true));
    const [listed] = (await env.DELIVERY_CACHE.list({ prefix: key })).keys;
    const ttl = Number(env.DELIVERY_ENTRY_TTL_SECONDS);
    expect(listed?.expiration).toBeGreaterThan(Date.now() / 1000 + ttl - 120);
    expect(listed?.expiration).toBeLessThanOrEqual(Date.now() / 1000 + ttl + 1);
  });

  it("an event naming another organization's content writes nothing under either organization", async () => {
    const item = await publishedItem(db, org);
    const ctx = createBackgroundContext(env, { test: 'invalidation' });
    const foreignOrg = crypto.randomUUID();
    expect(await refreshDeliveryCache(contentEvent('content.published', foreignOrg, item.id), ctx)).toEqual({
      written: false,
      version: null,
      epoch: null,
    });
    expect(await env.DELIVERY_CACHE.get(deliveryKeys.item(foreignOrg, item.id))).toBeNull();
    await ctx.services.dispose();
  });

  it('a revoked delivery token stops working at the edge without waiting for the KV entry to expire', async () => {
    const item = await publishedItem(db, org);
    const token = await createToken({}, { headers: org.users.org_admin.headers });
    expect((await deliveryGet(itemPath(item.id), bearer(token.secret))).status).toBe(200);
    const revoke = await call(`/api/v1/delivery-tokens/${token.id}`, {
      method: 'DELETE',
      headers: org.users.org_admin.headers,
    });
    expect(revoke.status).toBe(204);
    await untilDelivered(itemPath(item.id), bearer(token.secret), (s) => s === 401);
  });
});
