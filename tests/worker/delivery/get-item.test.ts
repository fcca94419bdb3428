import { describe, expect, it } from 'vitest';
import { ORG_ID, seededContentId } from '../auth.ts';
import { expireEdgeMemos } from '../../../src/services/delivery/edge-store.ts';
import { eventually, readProblem } from '../helpers.ts';
import { putContent } from '../workflow/fixtures.ts';
import { bearer, deliveryGet, publishedItem, untilDelivered, useDeliveryTenant } from './fixtures.ts';
import { consumed, useHarness } from '../harness.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);

describe('GET /delivery/v1/{org}/content/{id}', () => {
  it('serves the published snapshot, not the working copy: miss from Postgres, then hit from KV', async () => {
    const item = await publishedItem(db, org, {
      title: 'Live title',
      body: 'Live body',
      type: 'market_update',
      platforms: ['web', 'app'],
    });
    // A later edit of the working copy is not what readers see.
    expect((await putContent(item.id, org.users.editor.headers, { title: 'Draft title' })).status).toBe(200);

    const path = `${org.slug}/content/${item.id}`;
    // The consumer may already have written the item; either way the body is the published snapshot.
    const first = await deliveryGet(path, bearer(org.token));
    expect(first.status).toBe(200);
    const body = (await first.json()) as Record<string, unknown>;
    expect(body).toEqual({
      id: item.id,
      type: 'market_update',
      title: 'Live title',
      body: 'Live body',
      platforms: ['web', 'app'],
      publishedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
      version: item.version,
    });
    expect(Date.parse(body.publishedAt as string)).toBe(Date.parse(item.publishedAt as unknown as string));

    const hit = await untilDelivered(path, bearer(org.token), (status) => status === 200);
    expect(hit.body).toEqual(body);
    const again = await deliveryGet(path, bearer(org.token));
    expect(again.headers.get('x-delivery-cache')).toBe('hit');
  });

  it('fills KV on a miss: the first read of an item nobody has read comes from Postgres, the next from KV', async () => {
    const item = await publishedItem(db, org);
    const key = `org:${org.id}:delivery:item:${item.id}`;
    const { env } = await import('cloudflare:test');
    // The consumer has written the item once it has acknowledged the publish event; remove it to force a miss.
    await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
    await untilDelivered(`${org.slug}/content/${item.id}`, bearer(org.token), (status) => status === 200);
    expect(await env.DELIVERY_CACHE.get(key)).not.toBeNull();
    await env.DELIVERY_CACHE.delete(key);
    // Forget the isolate's memo of the key, as EDGE_MEMO_TTL_MS passing would, so the next read really asks KV.
    expireEdgeMemos();
    const miss = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token));
    expect(miss.status).toBe(200);
    expect(miss.headers.get('x-delivery-cache')).toBe('miss');
    // The fill runs after the response (waitUntil).
    const filled = await eventually(async () => (await env.DELIVERY_CACHE.get(key, 'json')) ?? undefined);
    expect(filled).toMatchObject({ item: { id: item.id, version: item.version } });
    const hit = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token));
    expect(hit.headers.get('x-delivery-cache')).toBe('hit');
    expect(await hit.json()).toEqual(await miss.json());
  });

  it('sends a strong ETag naming organization, item and version; If-None-Match answers 304 with the same headers', async () => {
    const item = await publishedItem(db, org);
    const path = `${org.slug}/content/${item.id}`;
    const res = await deliveryGet(path, bearer(org.token));
    const etag = res.headers.get('etag');
    expect(etag).toBe(`"i.${org.id}.${item.id}.${item.version}"`);
    for (const ifNoneMatch of [etag!, `W/${etag}`, `"other", ${etag}`, '*']) {
      const notModified = await deliveryGet(path, { ...bearer(org.token), 'if-none-match': ifNoneMatch });
      expect(notModified.status).toBe(304);
      expect(await notModified.text()).toBe('');
      expect(notModified.headers.get('etag')).toBe(etag);
      expect(notModified.headers.get('cache-control')).toBe(res.headers.get('cache-control'));
    }
    expect((await deliveryGet(path, { ...bearer(org.token), 'if-none-match': '"i.other.1"' })).status).toBe(200);
  });

  it('names the organization and the item in Cache-Tag and Surrogate-Key; token reads are private, allow any origin', async () => {
    const item = await publishedItem(db, org);
    const res = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token));
    expect(res.headers.get('cache-tag')).toBe(`org-${org.id},content-${item.id}`);
    expect(res.headers.get('surrogate-key')).toBe(`org-${org.id} content-${item.id}`);
    expect(res.headers.get('cache-control')).toBe('private, max-age=0, stale-if-error=86400');
    expect(res.headers.get('vary')).toBe('Authorization');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('answers HEAD with the headers and no body', async () => {
    const item = await publishedItem(db, org);
    const res = await deliveryGet(`${org.slug}/content/${item.id}`, bearer(org.token)).then(() =>
      import('../helpers.ts').then(({ call }) =>
        call(`/delivery/v1/${org.slug}/content/${item.id}`, { method: 'HEAD', headers: bearer(org.token) }),
      ),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"i.${org.id}.${item.id}.${item.version}"`);
    expect(await res.text()).toBe('');
  });

  it('404 for drafts, approved-but-unpublished, unknown ids and unknown organizations; 400 for a malformed id', async () => {
    const { tenantItem } = await import('../workflow/fixtures.ts');
    const draft = await tenantItem(db, org, { status: 'draft' });
    const approved = await tenantItem(db, org, { status: 'approved' });
    for (const id of [draft.id, approved.id, crypto.randomUUID()]) {
      const res = await deliveryGet(`${org.slug}/content/${id}`, bearer(org.token));
      expect(res.status).toBe(404);
      expect((await readProblem(res)).code).toBe('not_found');
    }
    const unknownOrg = await deliveryGet(
      `no-such-org-${crypto.randomUUID().slice(0, 6)}/content/${draft.id}`,
      bearer(org.token),
    );
    expect(unknownOrg.status).toBe(404);
    const malformed = await deliveryGet(`${org.slug}/content/not-a-uuid`, bearer(org.token));
    expect(malformed.status).toBe(400);
    expect((await readProblem(malformed)).errors[0]?.path).toBe('path.id');
  });
});

describe('delivery access', () => {
  it('401 without a token, with an unknown token, a management JWT or an API key; WWW-Authenticate says Bearer', async () => {
    const item = await publishedItem(db, org);
    const path = `${org.slug}/content/${item.id}`;
    const none = await deliveryGet(path);
    expect(none.status).toBe(401);
    expect((await readProblem(none)).code).toBe('missing_credentials');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="contentos"');
    const apiKey = await import('../helpers.ts').then(({ call }) =>
      call('/api/v1/api-keys', {
        method: 'POST',
        headers: { ...org.users.org_admin.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'mgmt', role: 'viewer' }),
      }),
    );
    const { secret: apiKeySecret } = (await apiKey.json()) as { secret: string };
    for (const authorization of [
      `Bearer cosd_${'x'.repeat(43)}`,
      org.users.viewer.headers.authorization!,
      `Bearer ${apiKeySecret}`,
      'Basic abc',
      'Bearer',
    ]) {
      const res = await deliveryGet(path, { authorization });
      expect(res.status, authorization.slice(0, 20)).toBe(401);
      expect((await readProblem(res)).code).toBe('invalid_token');
    }
  });

  it('a globex token never reads demo content, by id or list, before or after the item is in KV (404)', async () => {
    const demoToken = (await createToken({}, { org: 'demo' })).secret;
    const globexToken = (await createToken({}, { org: 'globex' })).secret;
    const demoItem = seededContentId(0, 'demo');
    const coldItem = seededContentId(1, 'demo');
    // Cold: nothing in KV yet for coldItem.
    expect((await deliveryGet(`demo/content/${coldItem}`, bearer(globexToken))).status).toBe(404);
    // Warm: demo's own token puts the item and a list page in KV first.
    expect((await deliveryGet(`demo/content/${demoItem}`, bearer(demoToken))).status).toBe(200);
    expect((await deliveryGet('demo/content', bearer(demoToken))).status).toBe(200);
    for (const path of [`demo/content/${demoItem}`, 'demo/content', `demo/content/${coldItem}`]) {
      const res = await deliveryGet(path, bearer(globexToken));
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(await readProblem(res))).not.toContain(ORG_ID.demo);
    }
    // Globex's own slug with demo's item id: not found either (the key is globex's, the item is not).
    expect((await deliveryGet(`globex/content/${demoItem}`, bearer(globexToken))).status).toBe(404);
  });

  it('serves without a token once the organization turns public access on, and stops when it turns it off', async () => {
    const item = await publishedItem(db, org);
    const path = `${org.slug}/content/${item.id}`;
    const put = (publicAccess: boolean) =>
      import('../helpers.ts').then(({ call }) =>
        call('/api/v1/delivery-settings', {
          method: 'PUT',
          headers: { ...org.users.org_admin.headers, 'content-type': 'application/json' },
          body: JSON.stringify({ publicAccess }),
        }),
      );
    expect((await deliveryGet(path)).status).toBe(401);
    const on = await put(true);
    expect(on.status).toBe(200);
    expect(await on.json()).toEqual({
      organizationId: org.id,
      slug: org.slug,
      publicAccess: true,
      deliveryBaseUrl: `/delivery/v1/${org.slug}`,
      rateLimits: { requestsPerIpPerMinute: null, requestsPerTokenPerMinute: null },
    });
    const open = await untilDelivered(path, {}, (status) => status === 200);
    expect(open.status).toBe(200);
    const anonymous = await deliveryGet(path);
    expect(anonymous.headers.get('cache-control')).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400',
    );
    // A token still works, and keeps the response private.
    expect((await deliveryGet(path, bearer(org.token))).headers.get('cache-control')).toMatch(/^private/);
    expect((await put(false)).status).toBe(200);
    expect((await untilDelivered(path, {}, (status) => status === 401)).status).toBe(401);
  });
});
