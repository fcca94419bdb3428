import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { deliveryKeys } from '../../../src/services/delivery/delivery-keys.ts';
import { expireEdgeMemos } from '../../../src/services/delivery/edge-store.ts';
import { bearer, deliveryGet, publishedItem, useDeliveryTenant } from '../delivery/fixtures.ts';
import { callApp } from '../helpers.ts';
import { consumed, needsPostgres, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { faultyDatabase } from './fault-database.ts';

/**
 * PostgreSQL lost while the delivery API reads it (issue 14, item 4). What KV holds is served whatever
 * PostgreSQL does (tests/worker/delivery/resilience.test.ts, with PostgreSQL unreachable from the start);
 * here the database goes away in the middle of a miss, before each of its statements in turn. A reader gets
 * the item (200) or 503 with Retry-After, never a 404 or a 500, and the outage is not remembered as an
 * absence: once PostgreSQL is back the item is served at once.
 */

const harness = useHarness();
const { db } = harness;
const org = useDeliveryTenant(harness);
const app = createApp();

const read = (path: string, bindings: Partial<Bindings>) =>
  callApp(app, `/delivery/v1/${org.slug}/${path}`, { headers: bearer(org.token) }, bindings);

/** A published item the edge knows nothing about yet (as on a cold KV location). */
async function coldItem(platform: string): Promise<string> {
  const item = await publishedItem(db, org, { platforms: [platform] });
  // The consumer's refresh writes the item (and a new list epoch) whenever it comes: wait for it, then forget.
  await consumed((e) => e.type === 'content.published' && e.data.contentId === item.id);
  await env.DELIVERY_CACHE.delete(deliveryKeys.item(org.id, item.id));
  expireEdgeMemos();
  return item.id;
}

async function statementsOf(path: string): Promise<number> {
  const recording = await faultyDatabase();
  const res = await read(path, recording.bindings);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await recording.state()).statements.length;
}

describe('PostgreSQL lost in the middle of a delivery read', () => {
  it(
    'an item or a list page missing from KV, cut before each statement: 200 or 503 with Retry-After, then served at once',
    needsPostgres,
    async () => {
      const problems: string[] = [];
      let injected = 0;
      const cases: Array<{ name: string; path: () => Promise<string> }> = [
        { name: 'item', path: async () => `content/${await coldItem('cold')}` },
        // A filter nobody asked for yet: its first page is a miss.
        {
          name: 'list',
          path: async () => {
            const platform = `cold-${crypto.randomUUID().slice(0, 8)}`;
            await coldItem(platform);
            return `content?platform=${platform}`;
          },
        },
      ];
      for (const { name, path } of cases) {
        const statements = await statementsOf(await path());
        expect(statements, name).toBeGreaterThan(0);
        for (let n = 0; n < statements; n++) {
          const target = await path();
          const fault = await faultyDatabase({ after: n });
          const res = await read(target, fault.bindings);
          const state = await fault.state();
          if (!state.tripped) continue;
          injected++;
          const label = `${name}, cut before statement ${n + 1} of ${statements}: ${res.status}`;
          if (res.status === 503) {
            if (res.headers.get('retry-after') !== '5') problems.push(`${label} without Retry-After`);
          } else if (res.status !== 200) problems.push(label);
          await res.body?.cancel();
          expireEdgeMemos();
          const after = await deliveryGet(`${org.slug}/${target}`, bearer(org.token));
          if (after.status !== 200) problems.push(`${label}; with PostgreSQL back: ${after.status}`);
          else if (name === 'list' && ((await after.json()) as { data: unknown[] }).data.length !== 1)
            problems.push(`${label}; with PostgreSQL back the page is not whole`);
        }
      }
      score('faults', { tried: injected, failed: problems.length });
      expect(problems).toEqual([]);
    },
  );
});
