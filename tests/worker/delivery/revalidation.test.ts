import { env } from 'cloudflare:test';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { content, deliveryTokens } from '../../../src/db/schema/index.ts';
import { ORGANIZATION_DELIVERY_CHANGED_EVENT } from '../../../src/events/delivery-access.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { expireEdgeMemos } from '../../../src/services/delivery/edge-store.ts';
import { listPageKey } from '../../../src/services/delivery/list-pages.ts';
import { readPublishedItem } from '../../../src/services/delivery/read-published-item.ts';
import { resolveDeliveryAccess } from '../../../src/services/delivery/resolve-delivery-access.ts';
import { dueForRevalidation, forgetRevalidations } from '../../../src/services/delivery/revalidation.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';
import { call, eventually } from '../helpers.ts';
import { consumed, jsonHeaders, useHarness } from '../harness.ts';
import { act } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, heldBackFills, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db, ctx } = harness;
const org = useDeliveryTenant(harness);

const TEN_MINUTES_AGO = () => new Date(Date.now() - 10 * 60_000).toISOString();

/** Rewrites a KV entry as if it had been stored `storedAt` (undefined: before entries said when). */
async function age(key: string, storedAt: string | undefined) {
  const entry = (await env.DELIVERY_CACHE.get(key, 'json')) as Record<string, unknown> | null;
  expect(entry, key).not.toBeNull();
  await env.DELIVERY_CACHE.put(key, JSON.stringify({ ...entry, storedAt }));
}

/** Published through the API, once the consumer has finished with the event (item written, lists moved). */
async function published(values: Parameters<typeof publishedItem>[2] = {}) {
  const item = await publishedItem(db, org, values);
  await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
  return item;
}

const inKv = (key: string) => eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? undefined : true));

/** Takes an item down in Postgres alone: what the edge sees when the unpublish event is lost. */
const retractBehindTheEdge = (id: string) =>
  db.update(content).set({ publishedVersion: null, status: 'approved' }).where(eq(content.id, id));

/**
 * A delivery store whose first write of `key` waits until `meanwhile` is done: what a re-check looks like
 * when a change is handled between its database read and its write (the write itself still lands).
 */
function writeHeldUntil(key: string, meanwhile: () => Promise<unknown>) {
  let ran = false;
  const store = new Proxy(env.DELIVERY_CACHE, {
    get(target, prop) {
      if (prop === 'put') {
        return async (name: string, value: string, options?: KVNamespacePutOptions) => {
          if (name === key && !ran) {
            ran = true;
            await meanwhile();
          }
          return target.put(name, value, options);
        };
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store, ran: () => ran };
}

beforeEach(() => {
  forgetRevalidations();
  expireEdgeMemos();
});

describe('re-validation of old delivery entries (the backstop for a lost event)', () => {
  it('an old item entry is served, then checked against Postgres after the response: a retracted item goes', async () => {
    const item = await published({ platforms: ['revalidate-item'] });
    const key = deliveryKeys.item(org.id, item.id);
    await inKv(key);
    await retractBehindTheEdge(item.id);
    await age(key, TEN_MINUTES_AGO());
    const served = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token));
    expect(served.status).toBe(200);
    expect(served.headers.get('x-delivery-cache')).toBe('hit');
    await untilDelivered(`${org.slug}/content/${item.id}`, bearer(org.token), (s) => s === 404);
    expect(await env.DELIVERY_CACHE.get(key, 'json')).toMatchObject({ item: null });
  });

  it('an old item entry that still agrees is written again with a fresh storedAt', async () => {
    const item = await published();
    const key = deliveryKeys.item(org.id, item.id);
    await inKv(key);
    const old = TEN_MINUTES_AGO();
    await age(key, old);
    expect((await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token))).status).toBe(200);
    const entry = await eventually(async () => {
      const e = (await env.DELIVERY_CACHE.get(key, 'json')) as { storedAt: string; item: { version: number } };
      return e.storedAt !== old ? e : undefined;
    });
    expect(entry.item.version).toBe(item.version);
  });

  it('an old list page that no longer matches Postgres moves the lists to a new epoch', async () => {
    const platform = `reval${crypto.randomUUID().slice(0, 6)}`;
    const item = await published({ platforms: [platform] });
    const path = `${org.slug}/content?platform=${platform}`;
    await untilDelivered<{ data: { id: string }[] }>(path, bearer(org.token), (_s, page) =>
      Boolean(page?.data.some((i) => i.id === item.id)),
    );
    const { epoch } = (await env.DELIVERY_CACHE.get(deliveryKeys.epoch(org.id), 'json')) as { epoch: string };
    const pageKey = await listPageKey(ctx, org.id, epoch, { platform, limit: 20 });
    await inKv(pageKey);
    await retractBehindTheEdge(item.id);
    await age(pageKey, TEN_MINUTES_AGO());
    await untilDelivered<{ data: { id: string }[] }>(
      path,
      bearer(org.token),
      (_s, page) => page !== undefined && !page.data.some((i) => i.id === item.id),
    );
    const moved = (await env.DELIVERY_CACHE.get(deliveryKeys.epoch(org.id), 'json')) as { epoch: string };
    expect(moved.epoch).not.toBe(epoch);
  });

  it('a token entry whose revocation event was lost stops working once it is re-checked', async () => {
    const token = await createToken({}, { headers: org.users.org_admin.headers });
    const key = deliveryKeys.tokenByHash(await hashApiKeySecret(token.secret));
    // The edge holds the token (an entry from before entries said when they were stored); Postgres revokes it.
    await env.DELIVERY_CACHE.put(key, JSON.stringify({ id: token.id, organizationId: org.id, expiresAt: null }));
    await db.update(deliveryTokens).set({ revokedAt: new Date() }).where(eq(deliveryTokens.id, token.id));
    expect((await deliveryGet(`${org.slug}/content`, bearer(token.secret))).status).toBe(200);
    await eventually(async () => ((await env.DELIVERY_CACHE.get(key)) === null ? true : undefined));
  });

  it('an organization entry that still says public after a lost switch to private is rewritten', async () => {
    const other = await harness.newTenant();
    const key = deliveryKeys.organizationBySlug(other.slug);
    await env.DELIVERY_CACHE.put(key, JSON.stringify({ id: other.id, slug: other.slug, publicAccess: true }));
    expect((await deliveryGet(`${other.slug}/content`)).status).toBe(200);
    const entry = await eventually(async () => {
      const e = (await env.DELIVERY_CACHE.get(key, 'json')) as { publicAccess: boolean; storedAt?: string };
      return e.storedAt ? e : undefined;
    });
    expect(entry.publicAccess).toBe(false);
  });
});

describe('a re-check never outlives a change handled while it ran (it is a fenced fill)', () => {
  it('read the token before its revocation was handled, wrote after: the write is taken back', async () => {
    const token = await createToken({}, { headers: org.users.org_admin.headers });
    // Its created event clears the token's key: let it go first, so it does not clear the entry arranged here.
    await consumed((e) => e.type === 'delivery_token.created' && e.data.deliveryTokenId === token.id);
    const key = deliveryKeys.tokenByHash(await hashApiKeySecret(token.secret));
    const held = { id: token.id, organizationId: org.id, expiresAt: null, storedAt: TEN_MINUTES_AGO() };
    await env.DELIVERY_CACHE.put(key, JSON.stringify(held));
    const revocation = writeHeldUntil(key, async () => {
      const revoke = await call(`/api/v1/delivery-tokens/${token.id}`, {
        method: 'DELETE',
        headers: org.users.org_admin.headers,
      });
      expect(revoke.status).toBe(204);
      await consumed((e) => e.type === 'delivery_token.revoked' && e.data.deliveryTokenId === token.id);
    });
    const { ctx: reader, runFills } = heldBackFills(harness, { DELIVERY_CACHE: revocation.store });
    const access = await resolveDeliveryAccess({
      ctx: reader,
      input: { slug: org.slug, authorization: `Bearer ${token.secret}`, requireToken: false },
    });
    expect(access.tokenId).toBe(token.id);
    // The re-check reads Postgres (still active), then its write waits for the revocation to be handled.
    await runFills();
    expect(revocation.ran()).toBe(true);
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
  });

  it('read public access before a switch to private was handled, wrote after: never public again', async () => {
    const tenant = await harness.newTenant({ deliveryPublic: true });
    const key = deliveryKeys.organizationBySlug(tenant.slug);
    const held = { id: tenant.id, slug: tenant.slug, publicAccess: true, storedAt: TEN_MINUTES_AGO() };
    await env.DELIVERY_CACHE.put(key, JSON.stringify(held));
    const switchOff = writeHeldUntil(key, async () => {
      const off = await call('/api/v1/delivery-settings', {
        method: 'PUT',
        headers: jsonHeaders(tenant.users.org_admin.headers),
        body: JSON.stringify({ publicAccess: false }),
      });
      expect(off.status).toBe(200);
      await consumed((e) => e.type === ORGANIZATION_DELIVERY_CHANGED_EVENT && e.organizationId === tenant.id);
    });
    const { ctx: reader, runFills } = heldBackFills(harness, { DELIVERY_CACHE: switchOff.store });
    const access = await resolveDeliveryAccess({
      ctx: reader,
      input: { slug: tenant.slug, authorization: undefined, requireToken: false },
    });
    expect(access.publicAccess).toBe(true);
    await runFills();
    expect(switchOff.ran()).toBe(true);
    const entry = await env.DELIVERY_CACHE.get<{ publicAccess?: boolean }>(key, 'json');
    expect(entry?.publicAccess ?? false).toBe(false);
  });

  it('read the live item before its unpublish was handled, wrote after: readers get 404', async () => {
    const item = await published();
    const key = deliveryKeys.item(org.id, item.id);
    await inKv(key);
    await age(key, TEN_MINUTES_AGO());
    const unpublish = writeHeldUntil(key, async () => {
      expect((await act(item.id, 'unpublish', org.users.editor.headers)).status).toBe(200);
      await consumed((e) => e.type === 'content.unpublished' && e.data.contentId === item.id);
    });
    const { ctx: reader, runFills } = heldBackFills(harness, { DELIVERY_CACHE: unpublish.store });
    const read = await readPublishedItem({ ctx: reader, input: { organizationId: org.id, id: item.id } });
    expect(read.source).toBe('kv');
    await runFills();
    expect(unpublish.ran()).toBe(true);
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
    expireEdgeMemos();
    expect((await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token))).status).toBe(404);
  });
});

describe('when an entry is due for a re-check', () => {
  it('only once it is older than DELIVERY_REVALIDATE_AFTER_SECONDS (or undated), once a minute per isolate and key', () => {
    const key = `test:${crypto.randomUUID()}`;
    expect(ctx.services.config.delivery.revalidateAfterSeconds).toBe(300);
    expect(dueForRevalidation(ctx, key, new Date(Date.now() - 60_000).toISOString())).toBe(false);
    expect(dueForRevalidation(ctx, key, new Date(Date.now() - 301_000).toISOString())).toBe(true);
    expect(dueForRevalidation(ctx, key, new Date(Date.now() - 301_000).toISOString())).toBe(false);
    expect(dueForRevalidation(ctx, `${key}:undated`, undefined)).toBe(true);
  });
});
