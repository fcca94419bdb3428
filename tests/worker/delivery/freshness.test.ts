import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { act, tenantItem } from '../workflow/fixtures.ts';
import { bearer, untilDelivered, useDeliveryTenant } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);

/**
 * Freshness: from the publish response to the first delivery read that returns the new version, through
 * the real path (outbox → after-commit relay → queue → consumer → KV). The figure is printed, not
 * asserted against a budget: `npm run bench` measures it properly; this test asserts that it happens.
 */
describe('freshness', () => {
  it('a publish reaches delivery readers through the queue, without waiting for a TTL', async () => {
    const item = await tenantItem(db, org, { status: 'approved' });
    const path = `${org.slug}/content/${item.id}`;
    const { editor } = org.users;
    // Published, then unpublished: KV holds a tombstone, so until the consumer runs readers get 404 from
    // KV, and the new version can only come from invalidation (not from a miss reading Postgres).
    expect((await act(item.id, 'publish', editor.headers, undefined, { 'if-match': '"1"' })).status).toBe(200);
    await untilDelivered(path, bearer(org.token), (status) => status === 200);
    expect((await act(item.id, 'unpublish', editor.headers)).status).toBe(200);
    await untilDelivered(path, bearer(org.token), (status) => status === 404);
    const tombstone = await env.DELIVERY_CACHE.get(deliveryKeys.item(org.id, item.id), 'json');
    expect(tombstone).toMatchObject({ item: null });

    const publish = await act(item.id, 'publish', editor.headers, undefined, { 'if-match': '"3"' });
    expect(publish.status).toBe(200);
    const { version } = (await publish.json()) as { version: number };
    const delivered = await untilDelivered<{ version: number }>(
      path,
      bearer(org.token),
      (status, body) => status === 200 && body?.version === version,
      15_000,
    );
    expect(delivered.body!.version).toBe(version);
    console.info(
      `[freshness] publish response → first delivery read with version ${version}: ${delivered.elapsedMs} ms`,
    );
  });
});
