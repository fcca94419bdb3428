import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { parseEventAs } from '../../../src/events/catalogue.ts';
import { contentEvents } from '../../../src/events/content.ts';
import { ORGANIZATION_DELIVERY_CHANGED_EVENT } from '../../../src/events/delivery-access.ts';
import { newEvent } from '../../../src/events/envelope.ts';
import { deliveryKeys, fenceKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { completeFill, openFill, raiseFence } from '../../../src/services/delivery/fenced-fill.ts';
import { readPublishedItem } from '../../../src/services/delivery/read-published-item.ts';
import { refreshDeliveryCache } from '../../../src/services/delivery/refresh-delivery-cache.ts';
import { resolveDeliveryAccess } from '../../../src/services/delivery/resolve-delivery-access.ts';
import { authHeaders, call, consumed, jsonHeaders, unique, useHarness } from '../harness.ts';
import { act } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, heldBackFills, publishedItem, useDeliveryTenant } from './fixtures.ts';

const harness = useHarness();
const { db, ctx } = harness;
const org = useDeliveryTenant(harness);

const handledFor = (organizationId: string) =>
  consumed((e) => e.type === ORGANIZATION_DELIVERY_CHANGED_EVENT && e.organizationId === organizationId);

describe('slug fills never outlive a later access change', () => {
  it('fill reads public access, access is switched off and handled, the fill writes: anonymous readers get 401', async () => {
    const tenant = await harness.newTenant({ deliveryPublic: true });
    const { ctx: reader, runFills } = heldBackFills(harness);
    const access = await resolveDeliveryAccess({
      ctx: reader,
      input: { slug: tenant.slug, authorization: undefined, requireToken: false },
    });
    expect(access.publicAccess).toBe(true);

    const off = await call('/api/v1/delivery-settings', {
      method: 'PUT',
      headers: jsonHeaders(tenant.users.org_admin.headers),
      body: JSON.stringify({ publicAccess: false }),
    });
    expect(off.status).toBe(200);
    await handledFor(tenant.id);
    await runFills();

    // The withdrawn fill took the entry with it (the next reader refills); what is left is never public.
    const entry = await env.DELIVERY_CACHE.get<{ publicAccess?: boolean }>(
      deliveryKeys.organizationBySlug(tenant.slug),
      'json',
    );
    expect(entry?.publicAccess ?? false).toBe(false);
    expect((await deliveryGet(`${tenant.slug}/content`)).status).toBe(401);
  });

  it('fill reads a slug, the organization is renamed and handled, the fill writes: the old slug is 404', async () => {
    const tenant = await harness.newTenant({ deliveryPublic: true });
    const { ctx: reader, runFills } = heldBackFills(harness);
    await resolveDeliveryAccess({
      ctx: reader,
      input: { slug: tenant.slug, authorization: undefined, requireToken: false },
    });
    const renamed = `renamed-${unique()}`;
    const patch = await call(`/api/v1/organizations/${tenant.id}`, {
      method: 'PATCH',
      headers: jsonHeaders(await authHeaders('super_admin')),
      body: JSON.stringify({ slug: renamed }),
    });
    expect(patch.status).toBe(200);
    await handledFor(tenant.id);
    await runFills();

    expect((await deliveryGet(`${tenant.slug}/content`)).status).toBe(404);
    expect((await deliveryGet(`${renamed}/content`)).status).toBe(200);
  });
});

describe('item fills never outlive a later unpublish', () => {
  it('fill reads the live item, it is unpublished and handled, the fill writes: readers get 404', async () => {
    const item = await publishedItem(db, org);
    await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
    const key = deliveryKeys.item(org.id, item.id);
    await env.DELIVERY_CACHE.delete(key);
    const { ctx: reader, runFills } = heldBackFills(harness);
    const read = await readPublishedItem({ ctx: reader, input: { organizationId: org.id, id: item.id } });
    expect(read.source).toBe('database');

    expect((await act(item.id, 'unpublish', org.users.editor.headers)).status).toBe(200);
    await consumed((e) => e.type === 'content.unpublished' && e.data.contentId === item.id);
    await runFills();

    const res = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token));
    expect(res.status).toBe(404);
  });

  it('a fill that merely follows a change stands: only a change raised during the fill withdraws it', async () => {
    const item = await publishedItem(db, org);
    await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
    const key = deliveryKeys.item(org.id, item.id);
    const fenceKey = fenceKeys.item(org.id, item.id);
    const entry = { item: null, storedAt: new Date().toISOString() };

    // The publish raised the fence before this fill began: the fill stands.
    const standing = await openFill(ctx.services.edgeStore, key, fenceKey);
    expect(await completeFill(ctx, standing!, entry, 60)).toBe('filled');
    // A change raised between the fill's two reads of the fence: withdrawn.
    const racing = await openFill(ctx.services.edgeStore, key, fenceKey);
    await raiseFence(ctx.services.kv, fenceKey);
    expect(await completeFill(ctx, racing!, entry, 60)).toBe('withdrawn');
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
  });

  it('of two consumers of the same item, the one that read Postgres first does not leave its older answer', async () => {
    const item = await publishedItem(db, org);
    await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
    const key = deliveryKeys.item(org.id, item.id);
    await env.DELIVERY_CACHE.delete(key);
    // A second consumer raises the fence just after the first raised it and before it reads anything. (The
    // consumer no longer reads the item's KV entry, ADR 0034: the hook is the first's own raise landing.)
    const fenceKey = fenceKeys.item(org.id, item.id);
    let interfered = false;
    const interfering = new Proxy(env.DELIVERY_CACHE, {
      get(target, prop) {
        if (prop === 'put') {
          return async (name: string, value: string, options?: KVNamespacePutOptions) => {
            await target.put(name, value, options);
            if (name === fenceKey && !interfered) {
              interfered = true;
              await raiseFence(ctx.services.kv, fenceKey);
            }
          };
        }
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const first = harness.context({ DELIVERY_CACHE: interfering });
    const published = parseEventAs(
      contentEvents['content.published'],
      newEvent('content.published', org.id, { contentId: item.id, version: item.version }),
    );
    const refreshed = await refreshDeliveryCache(published, first);
    expect(interfered).toBe(true);
    expect(refreshed.written).toBe(true);
    // Its write rests on a read the other consumer may have overtaken: it is taken back.
    expect(await env.DELIVERY_CACHE.get(key)).toBeNull();
    // Readers refill from Postgres.
    expect((await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token))).status).toBe(200);
  });
});
