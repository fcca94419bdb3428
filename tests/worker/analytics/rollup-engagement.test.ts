import { describe, expect, it } from 'vitest';
import type { Content } from '../../../src/db/schema/index.ts';
import type { EngagementEvent } from '../../../src/events/engagement.ts';
import { aggregateEngagementBatch } from '../../../src/services/analytics/aggregate-engagement-batch.ts';
import { addDays } from '../../../src/services/analytics/day-window.ts';
import { metricOf, zeroCounts, type EngagementCounts } from '../../../src/services/analytics/engagement-counts.ts';
import {
  rollupEngagement,
  type EngagementStats,
  type RollupInput,
} from '../../../src/services/analytics/rollup-engagement.ts';
import { cronJobs } from '../../../workers/scheduled.ts';
import { call } from '../helpers.ts';
import { readItem, trailOf } from '../scheduling/fixtures.ts';
import { batchOf, daysAgo, event, insertItem, settle, statsOf, today, whileRowLocked } from './fixtures.ts';
import { needsPostgres, useHarness, type Tenant } from '../harness.ts';

const { db, ctx, context, newTenant } = useHarness();

// Every test has its own organization and passes it as the filter: the run touches this test's items only.
const rollup = (org: Tenant, input: Omit<RollupInput, 'organizationId'> = {}) =>
  rollupEngagement({ ctx, input: { ...input, organizationId: org.id } });

async function setup() {
  const org = await newTenant();
  const item = (values = {}) => insertItem(db, { organizationId: org.id, creatorId: org.users.editor.id }, values);
  const send = (events: EngagementEvent[]) =>
    aggregateEngagementBatch({ ctx, input: { event: batchOf(org.id, events) } });
  return { org, item, send };
}

/** The stats the raw events imply, computed independently of SQL: the oracle for the rollup. */
function expectedStats(events: EngagementEvent[], onDay: string): Omit<EngagementStats, 'rolledUpAt'> {
  const totals = zeroCounts();
  const last7Days = zeroCounts();
  const last30Days = zeroCounts();
  const byPlatform: Record<string, EngagementCounts> = {};
  for (const e of events) {
    const metric = metricOf[e.type];
    const day = e.occurredAt.slice(0, 10);
    totals[metric]++;
    if (day >= addDays(onDay, -6) && day <= onDay) last7Days[metric]++;
    if (day >= addDays(onDay, -29) && day <= onDay) last30Days[metric]++;
    byPlatform[e.platform] ??= zeroCounts();
    byPlatform[e.platform]![metric]++;
  }
  return { totals, last7Days, last30Days, byPlatform, rolledUpDay: onDay };
}

const withoutTime = (stats: Record<string, unknown>) => {
  const { rolledUpAt, ...rest } = stats;
  expect(typeof rolledUpAt === 'string' && !Number.isNaN(Date.parse(rolledUpAt))).toBe(true);
  return rest;
};

/** The raw material of every test: one item's events over 50 days and three platforms. */
function history(id: string): EngagementEvent[] {
  return [
    ...[0, 0, 0, 1, 3, 6].map((ago) => event('view', id, 'web', daysAgo(ago))),
    event('view', id, 'app', daysAgo(2)),
    event('click', id, 'web', daysAgo(6)),
    // Just outside last7Days, inside last30Days.
    event('view', id, 'newsletter', daysAgo(7)),
    event('share', id, 'web', daysAgo(12)),
    event('like', id, 'app', daysAgo(29)),
    // Outside both windows: totals only.
    event('like', id, 'app', daysAgo(30)),
    event('view', id, 'web', daysAgo(50)),
  ];
}

describe('engagement rollup', () => {
  it('writes totals, 7- and 30-day windows and per-platform counts equal to the raw events', async () => {
    const { org, item, send } = await setup();
    const a = await item();
    const b = await item();
    const events = history(a.id);
    await send(events.slice(0, 7));
    await send([...events.slice(7), event('view', b.id, 'social')]);

    expect(await rollup(org)).toEqual({ updated: 2 });
    expect(withoutTime(await statsOf(db, a.id))).toEqual(expectedStats(events, today()));
    expect(withoutTime(await statsOf(db, b.id))).toEqual(expectedStats([event('view', b.id, 'social')], today()));
    // Spelled out once, so the oracle itself is checked: 6 web views in the last 7 days, the 50-day-old one in totals only.
    expect(await statsOf(db, a.id)).toMatchObject({
      totals: { views: 9, clicks: 1, shares: 1, likes: 2 },
      last7Days: { views: 7, clicks: 1, shares: 0, likes: 0 },
      last30Days: { views: 8, clicks: 1, shares: 1, likes: 1 },
      byPlatform: {
        web: { views: 7, clicks: 1, shares: 1, likes: 0 },
        app: { views: 1, clicks: 0, shares: 0, likes: 2 },
        newsletter: { views: 1, clicks: 0, shares: 0, likes: 0 },
      },
    });
  });

  it('is idempotent and never touches the item as content: version, updated_at, ETag, versions, audit and outbox stay', async () => {
    const { org, item, send } = await setup();
    const a = await item({ version: 4 });
    const etag = async () =>
      (await call(`/api/v1/content/${a.id}`, { headers: org.users.viewer.headers })).headers.get('etag');
    const etagBefore = await etag();
    const trailBefore = await trailOf(db, a.id);
    await send(history(a.id));

    await rollup(org);
    const first = await statsOf(db, a.id);
    await rollup(org);
    const second = await statsOf(db, a.id);
    expect(withoutTime(second)).toEqual(withoutTime(first));

    const after: Content = await readItem(db, a.id);
    expect({ version: after.version, updatedAt: after.updatedAt }).toEqual({
      version: a.version,
      updatedAt: a.updatedAt,
    });
    expect(etagBefore).toBe('"4"');
    expect(await etag()).toBe(etagBefore);
    expect(await trailOf(db, a.id)).toEqual(trailBefore);
  });

  it('recomputes only what changed since the last rollup, and what the turn of the UTC day moved', async () => {
    const { org, item, send } = await setup();
    const quiet = await item();
    const busy = await item();
    const old = await item();
    await send([
      event('view', quiet.id, 'web', daysAgo(3)),
      event('view', busy.id),
      event('view', old.id, 'web', daysAgo(45)),
    ]);
    expect(await rollup(org)).toEqual({ updated: 3 });
    for (const i of [quiet, busy, old]) await settle(db, i.id);
    const settledAt = (await statsOf(db, quiet.id)).rolledUpAt;

    // Nothing changed: nothing is rewritten.
    expect(await rollup(org)).toEqual({ updated: 0 });
    expect((await statsOf(db, quiet.id)).rolledUpAt).toBe(settledAt);

    // New events for one item: that item only.
    await send([event('click', busy.id)]);
    expect(await rollup(org)).toEqual({ updated: 1 });
    expect(await statsOf(db, busy.id)).toMatchObject({
      totals: { views: 1, clicks: 1 },
      last7Days: { views: 1, clicks: 1 },
    });
    await settle(db, busy.id);

    // Five days on, with no new events: the windows slide for the items that had recent engagement; the
    // 45-day-old item had nothing in its 30-day window, so it has nothing to move.
    const later = new Date(Date.now() + 5 * 86_400_000);
    expect(await rollup(org, { now: later })).toEqual({ updated: 2 });
    expect(await statsOf(db, quiet.id)).toMatchObject({
      totals: { views: 1 },
      last7Days: { views: 0 },
      last30Days: { views: 1 },
      rolledUpDay: addDays(today(), 5),
    });
    expect(await statsOf(db, busy.id)).toMatchObject({
      totals: { views: 1, clicks: 1 },
      last7Days: { views: 1, clicks: 1 },
    });
    expect((await statsOf(db, old.id)).rolledUpDay).toBe(today());
    expect(await rollup(org, { now: later })).toEqual({ updated: 0 });
  });

  it('is bounded per run and takes the rest, stalest first, on the next', async () => {
    const { org, item, send } = await setup();
    const items = [await item(), await item(), await item()];
    await send(items.map((i) => event('view', i.id)));
    expect(await rollup(org, { limit: 2 })).toEqual({ updated: 2 });
    const never = [];
    for (const i of items) if (Object.keys(await statsOf(db, i.id)).length === 0) never.push(i.id);
    expect(never).toHaveLength(1);
    // The one never rolled up goes first, even though the other two are still within the commit-lag margin.
    expect(await rollup(org, { limit: 1 })).toEqual({ updated: 1 });
    expect(await statsOf(db, never[0]!)).toMatchObject({ totals: { views: 1 } });
  });

  it(
    'skips an item being edited right now instead of waiting for it, and takes it on the next run',
    needsPostgres,
    async () => {
      const { org, item, send } = await setup();
      const [held, free] = [await item(), await item()];
      await send([event('view', held.id), event('view', free.id)]);
      await whileRowLocked(context(), held.id, async () => {
        expect(await rollup(org)).toEqual({ updated: 1 });
        expect(await statsOf(db, held.id)).toEqual({});
      });
      expect(await rollup(org)).toEqual({ updated: 2 });
      expect(await statsOf(db, held.id)).toMatchObject({ totals: { views: 1 } });
    },
  );

  it('runs as the every-minute cron job', async () => {
    const job = cronJobs.find((j) => j.name === 'engagement-rollup');
    expect(job).toBeDefined();
    const { item, send } = await setup();
    const a = await item();
    await send([event('like', a.id, 'app')]);
    await job!.run(ctx, { cron: '* * * * *', scheduledTime: new Date() });
    expect(await statsOf(db, a.id)).toMatchObject({
      totals: { likes: 1 },
      byPlatform: { app: { likes: 1 } },
      rolledUpDay: today(),
    });
  });
});
