import { and, eq, sum } from 'drizzle-orm';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../src/app.ts';
import type { Bindings } from '../../../src/config.ts';
import { content, engagementDaily } from '../../../src/db/schema/index.ts';
import { ENGAGEMENT_BATCH_EVENT } from '../../../src/events/engagement.ts';
import { callApp } from '../helpers.ts';
import { consumed, useHarness } from '../harness.ts';
import { bearer, publishedItem, useDeliveryTenant } from '../delivery/fixtures.ts';
import { randomAddress } from '../rate-limit/fixtures.ts';
import { score } from '../scorecard.ts';

/**
 * Upstash Redis gone (issue 14, item 4). ADR 0007's policy: neither fail closed nor fail open; each
 * isolate judges by a fixed window of its own with the same limits, after at most one wait of the 1 s
 * timeout. Checked end to end, by what was written: creates beyond the limit are 429 with Retry-After
 * and write nothing, no request finds a 5xx, and engagement accepted meanwhile is all counted.
 */

const harness = useHarness();
const { db, insertUser } = harness;
const org = useDeliveryTenant(harness);
const app = createApp();

const refused = { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' };
const hanging = () => ({ UPSTASH_REDIS_REST_URL: `http://127.0.0.1:${inject('blackHolePort')}` });
const LIMIT = 3;

async function createsOf(userId: string): Promise<number> {
  return (await db.select({ id: content.id }).from(content).where(eq(content.creatorId, userId))).length;
}

/** Creates by a fresh user through Redis as `redis(i)` says for the i-th request; what came back. */
async function createBurst(requests: number, redis: (i: number) => Partial<Bindings>) {
  const user = await insertUser(org.id, 'editor', { bound: true });
  const statuses: number[] = [];
  const problems: string[] = [];
  for (let i = 0; i < requests; i++) {
    const res = await callApp(
      app,
      '/api/v1/content',
      {
        method: 'POST',
        headers: { ...user.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'education', title: `Limit ${i}`, body: 'Text.', platforms: ['web'] }),
      },
      { CONTENT_CREATE_LIMIT_PER_HOUR: String(LIMIT), ...redis(i) },
    );
    statuses.push(res.status);
    if (res.status >= 500) problems.push(`request ${i + 1}: ${res.status} ${await res.text()}`);
    if (res.status === 429 && !(Number(res.headers.get('retry-after')) > 0))
      problems.push(`request ${i + 1}: 429 without Retry-After`);
  }
  return { user, statuses, problems };
}

describe('Upstash Redis unreachable or hanging', () => {
  it('hanging: creates wait for the 1 s timeout at most once, exactly the limit is written, the rest are 429, nothing is 5xx', async () => {
    const started = Date.now();
    const { user, statuses, problems } = await createBurst(LIMIT + 2, hanging);
    const elapsed = Date.now() - started;
    if (statuses.filter((s) => s === 201).length !== LIMIT) problems.push(`statuses ${statuses.join(',')}`);
    if ((await createsOf(user.id)) !== LIMIT) problems.push(`${await createsOf(user.id)} items written`);
    score('faults', { tried: 1, failed: problems.length });
    expect(problems).toEqual([]);
    expect(statuses).toEqual([...Array(LIMIT).fill(201), 429, 429]);
    // One timeout, then the isolate stops asking for a while (ADR 0029): not five.
    expect(elapsed).toBeLessThan(4_000);
  });

  it('flapping between requests: every answer is 201 or 429, and the writes stay within the two windows (Redis, isolate)', async () => {
    // Down on every other request: each window counts what it saw, so together they allow at most twice the limit.
    const { user, statuses, problems } = await createBurst(4 * LIMIT, (i) => (i % 2 === 0 ? refused : {}));
    if (statuses.some((s) => s !== 201 && s !== 429)) problems.push(`statuses ${statuses.join(',')}`);
    const written = await createsOf(user.id);
    if (written !== statuses.filter((s) => s === 201).length) problems.push(`${written} written for the 201s`);
    if (written > 2 * LIMIT) problems.push(`${written} written, more than both windows allow`);
    score('faults', { tried: 1, failed: problems.length });
    expect(problems).toEqual([]);
  });

  describe('on the delivery API', () => {
    let itemId = '';
    beforeAll(async () => {
      itemId = (await publishedItem(db, org)).id;
    });

    it('engagement: the per-address cap still holds per isolate, and every event accepted meanwhile is counted once', async () => {
      const address = randomAddress();
      const send = (n: number) =>
        callApp(
          app,
          `/delivery/v1/${org.slug}/events`,
          {
            method: 'POST',
            headers: { ...bearer(org.token), 'content-type': 'application/json', 'cf-connecting-ip': address },
            body: JSON.stringify({
              events: Array.from({ length: n }, () => ({
                type: 'view',
                contentId: itemId,
                platform: 'web',
                occurredAt: new Date().toISOString(),
              })),
            }),
          },
          { ...refused, ENGAGEMENT_EVENTS_PER_IP_PER_MINUTE: '5' },
        );
      const statuses = [];
      for (const n of [2, 2, 2, 1]) statuses.push((await send(n)).status);
      const problems: string[] = [];
      // 2 + 2 fit the cap of 5; the third batch of 2 does not and is refused whole; 1 more still fits.
      if (statuses.join(',') !== '202,202,429,202') problems.push(`statuses ${statuses.join(',')}`);
      await consumed((e) => e.type === ENGAGEMENT_BATCH_EVENT && JSON.stringify(e.data).includes(itemId), 3).catch(() =>
        problems.push('accepted batches not all consumed'),
      );
      const [row] = await db
        .select({ views: sum(engagementDaily.views).mapWith(Number) })
        .from(engagementDaily)
        .where(and(eq(engagementDaily.contentId, itemId), eq(engagementDaily.organizationId, org.id)));
      if (row?.views !== 5) problems.push(`${row?.views} views counted, 5 accepted`);
      score('faults', { tried: 1, failed: problems.length });
      expect(problems).toEqual([]);
    });
  });
});
