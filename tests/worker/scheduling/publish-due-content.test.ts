import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { content, contentVersions, type NewContent } from '../../../src/db/schema/index.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { publishDueContent } from '../../../src/services/scheduling/publish-due-content.ts';
import { call } from '../helpers.ts';
import { insertScheduled, instantIn, minutes, readItem, trailOf } from './fixtures.ts';
import { needsPostgres, useHarness, type Tenant } from '../harness.ts';

const { db, ctx, context, newTenant } = useHarness();

// Every test has its own organization and passes it as the filter, and its instants lie in year 2900:
// no other test's tick reaches them, and this file's runs never touch another test's rows.
const tickFor = (
  org: Tenant,
  scheduledTime: Date,
  extra: { batchSize?: number; maxBatches?: number } = {},
  on: ServiceContext = ctx,
) => publishDueContent({ ctx: on, input: { scheduledTime, organizationId: org.id, ...extra } });

async function setup() {
  const org = await newTenant();
  const schedule = (scheduledAt: Date, values: Partial<NewContent> = {}) =>
    insertScheduled(db, org.id, org.users.editor.id, { ...values, scheduledAt });
  return { org, schedule, at: instantIn(2900) };
}

async function expectPublishedOnce(id: string, dueAt: Date) {
  const { versions, audit, events } = await trailOf(db, id);
  expect(versions.map((v) => [v.version, v.action, v.authorType, v.authorId, v.message])).toEqual([
    [4, 'content.publish', 'system', null, `published on schedule (due ${dueAt.toISOString()})`],
  ]);
  expect(versions[0]!.snapshot).toMatchObject({
    status: 'published',
    publishedVersion: 4,
    scheduledAt: null,
    version: 4,
  });
  expect(audit.map((a) => [a.action, a.actorType, a.actorId, a.ip])).toEqual([
    ['content.publish', 'system', null, null],
  ]);
  expect(audit[0]!.changes).toMatchObject({
    before: { status: 'approved', publishedVersion: null, version: 3 },
    after: {
      status: 'published',
      publishedVersion: 4,
      scheduledAt: null,
      version: 4,
      dueAt: dueAt.toISOString(),
      transition: { action: 'publish', from: 'approved', to: 'published' },
    },
  });
  expect(events.map((e) => [e.type, e.payload])).toEqual([
    [
      'content.published',
      {
        contentId: id,
        version: 4,
        status: 'published',
        publishedVersion: 4,
        comment: `published on schedule (due ${dueAt.toISOString()})`,
        actor: { type: 'system', id: null },
      },
    ],
  ]);
}

describe('publishDueContent', () => {
  it('publishes everything due by scheduledTime, including a skipped tick, and leaves what is not due', async () => {
    const { org, schedule, at } = await setup();
    const missed = await schedule(minutes(at, -5)); // its tick never ran: the next one catches up
    const exactlyDue = await schedule(at);
    const notDue = await schedule(minutes(at, 1));
    const startedAt = new Date();

    expect(await tickFor(org, at)).toEqual({ published: 2, failed: 0, remaining: 0 });

    for (const item of [missed, exactlyDue]) {
      const after = await readItem(db, item.id);
      expect(after).toMatchObject({
        status: 'published',
        version: 4,
        publishedVersion: 4,
        scheduledAt: null,
        scheduledVersion: null,
        scheduleError: null,
        scheduleFailedAt: null,
      });
      // publishedAt is when it actually went out, not the (possibly long past) due time.
      expect(after.publishedAt!.getTime()).toBeGreaterThanOrEqual(startedAt.getTime() - 1000);
      await expectPublishedOnce(item.id, item.scheduledAt!);
    }
    expect(await readItem(db, notDue.id)).toMatchObject({
      status: 'approved',
      version: 3,
      scheduledAt: notDue.scheduledAt,
      publishedAt: null,
    });
    expect((await trailOf(db, notDue.id)).events).toEqual([]);

    expect(await tickFor(org, minutes(at, 1))).toEqual({ published: 1, failed: 0, remaining: 0 });
    await expectPublishedOnce(notDue.id, notDue.scheduledAt!);
  });

  it('publishes once when the same tick runs twice', async () => {
    const { org, schedule, at } = await setup();
    const item = await schedule(minutes(at, -1));
    expect(await tickFor(org, at)).toEqual({ published: 1, failed: 0, remaining: 0 });
    expect(await tickFor(org, at)).toEqual({ published: 0, failed: 0, remaining: 0 });
    await expectPublishedOnce(item.id, item.scheduledAt!);
  });

  it('publishes each item once when runs overlap (FOR UPDATE SKIP LOCKED)', async () => {
    const { org, schedule, at } = await setup();
    const items = await Promise.all(Array.from({ length: 12 }, (_, i) => schedule(minutes(at, -i))));
    // Separate contexts, so separate pools and connections: truly concurrent transactions.
    const runners = [context(), context(), context()];
    try {
      const results = await Promise.all(runners.map((runner) => tickFor(org, at, { batchSize: 2 }, runner)));
      expect(results.reduce((n, r) => n + r.published, 0)).toBe(12);
      expect(results.every((r) => r.failed === 0)).toBe(true);
    } finally {
      await Promise.all(runners.map((runner) => runner.services.dispose()));
    }
    for (const item of items) await expectPublishedOnce(item.id, item.scheduledAt!);
  });

  // Needs two transactions open at once; PGlite serves one session, so there the holder would block the run.
  it(
    'skips a row another transaction holds instead of waiting for it, and takes it on the next tick',
    needsPostgres,
    async () => {
      const { org, schedule, at } = await setup();
      const held = await schedule(minutes(at, -2));
      const free = await schedule(minutes(at, -1));
      const holder = context();
      let release!: () => void;
      let locked!: () => void;
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = holder.services.db.transaction(async (tx) => {
        await tx.select().from(content).where(eq(content.id, held.id)).for('update');
        locked();
        await new Promise<void>((resolve) => (release = resolve));
      });
      try {
        await isLocked;
        expect(await tickFor(org, at)).toEqual({ published: 1, failed: 0, remaining: 1 });
        expect((await readItem(db, free.id)).status).toBe('published');
      } finally {
        release();
        await holding;
        await holder.services.dispose();
      }
      expect((await readItem(db, held.id)).status).toBe('approved');
      expect(await tickFor(org, minutes(at, 1))).toEqual({ published: 1, failed: 0, remaining: 0 });
      await expectPublishedOnce(held.id, held.scheduledAt!);
    },
  );

  it('works in batches, oldest first, and reports what a bounded run left', async () => {
    const { org, schedule, at } = await setup();
    const items = await Promise.all([5, 4, 3, 2, 1].map((ago) => schedule(minutes(at, -ago))));
    expect(await tickFor(org, at, { batchSize: 2, maxBatches: 1 })).toEqual({ published: 2, failed: 0, remaining: 3 });
    expect(await Promise.all(items.map(async (i) => (await readItem(db, i.id)).status))).toEqual([
      'published',
      'published',
      'approved',
      'approved',
      'approved',
    ]);
    expect(await tickFor(org, at, { batchSize: 2 })).toEqual({ published: 3, failed: 0, remaining: 0 });
  });

  it.each([
    {
      gate: 'compliance',
      change: { complianceStatus: 'pending' as const },
      reason: 'approval gate not met: compliance (compliance is pending, must be approved)',
    },
    {
      gate: 'quality',
      change: { qualityScore: 6.5 },
      reason: "approval gate not met: quality (quality score 6.5 is below the organization's threshold 7)",
    },
  ])(
    'records a $gate gate that no longer passes on the item, audits and announces it, and does not retry it',
    async ({ change, reason }) => {
      const { org, schedule, at } = await setup();
      const item = await schedule(minutes(at, -1));
      await db.update(content).set(change).where(eq(content.id, item.id)); // after scheduling, without a new version

      const before = new Date();
      expect(await tickFor(org, at)).toEqual({ published: 0, failed: 1, remaining: 0 });
      const failed = await readItem(db, item.id);
      // Unpublished, still showing its time, with the reason and when it was found.
      expect(failed).toMatchObject({
        status: 'approved',
        publishedVersion: null,
        publishedAt: null,
        scheduledAt: item.scheduledAt,
        scheduledVersion: 3,
        scheduleError: reason,
        version: 4,
      });
      expect(failed.scheduleFailedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);

      const message = `not published on schedule (due ${item.scheduledAt!.toISOString()}): ${reason}`;
      const { versions, audit, events } = await trailOf(db, item.id);
      expect(versions.map((v) => [v.version, v.action, v.authorType, v.message])).toEqual([
        [4, 'content.schedule_failed', 'system', message],
      ]);
      expect(audit.map((a) => [a.action, a.actorType])).toEqual([['content.schedule_failed', 'system']]);
      expect(audit[0]!.changes.after).toMatchObject({ reason, comment: message, version: 4 });
      expect(events.map((e) => [e.type, e.organizationId, e.payload])).toEqual([
        [
          'content.schedule_failed',
          org.id,
          {
            contentId: item.id,
            version: 4,
            status: 'approved',
            publishedVersion: null,
            comment: message,
            actor: { type: 'system', id: null },
          },
        ],
      ]);

      const res = await call('/api/v1/schedule', { headers: org.users.viewer.headers });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({
        upcoming: [],
        failed: [
          {
            id: item.id,
            title: item.title,
            status: 'approved',
            scheduledAt: item.scheduledAt!.toISOString(),
            scheduledVersion: 3,
            version: 4,
            scheduleError: reason,
            scheduleFailedAt: failed.scheduleFailedAt!.toISOString(),
          },
        ],
      });

      // Later ticks leave it alone: nothing new until someone schedules it again.
      expect(await tickFor(org, minutes(at, 1))).toEqual({ published: 0, failed: 0, remaining: 0 });
      expect(await tickFor(org, minutes(at, 60))).toEqual({ published: 0, failed: 0, remaining: 0 });
      expect((await trailOf(db, item.id)).versions).toHaveLength(1);
      expect((await readItem(db, item.id)).version).toBe(4);
    },
  );

  it('fails an item whose content changed since it was scheduled, naming the versions', async () => {
    const { org, schedule, at } = await setup();
    const item = await schedule(minutes(at, -1));
    await db.update(content).set({ version: 4 }).where(eq(content.id, item.id));
    expect(await tickFor(org, at)).toEqual({ published: 0, failed: 1, remaining: 0 });
    expect(await readItem(db, item.id)).toMatchObject({
      status: 'approved',
      version: 5,
      publishedVersion: null,
      scheduleError: 'content changed since scheduling (version 4, scheduled 3)',
    });
    expect((await trailOf(db, item.id)).events.map((e) => e.type)).toEqual(['content.schedule_failed']);
  });

  it('fails an item edited through the API after scheduling (back to draft, new version)', async () => {
    const { org, schedule, at } = await setup();
    const item = await schedule(minutes(at, -1));
    const edit = await call(`/api/v1/content/${item.id}`, {
      method: 'PUT',
      headers: { ...org.users.editor.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Edited after scheduling' }),
    });
    expect(edit.status).toBe(200);
    expect(await tickFor(org, at)).toEqual({ published: 0, failed: 1, remaining: 0 });
    expect(await readItem(db, item.id)).toMatchObject({
      status: 'draft',
      version: 5,
      publishedVersion: null,
      scheduleError: 'content changed since scheduling (version 4, scheduled 3)',
    });
  });

  it('fails an item that has a time but was never scheduled through the workflow', async () => {
    const { org, schedule, at } = await setup();
    const item = await schedule(minutes(at, -1), { status: 'draft', scheduledVersion: null });
    expect(await tickFor(org, at)).toEqual({ published: 0, failed: 1, remaining: 0 });
    expect(await readItem(db, item.id)).toMatchObject({
      status: 'draft',
      scheduleError: 'content is draft, not approved',
    });
  });

  it('rolls back only the item that errors, keeps it due, and fails the run so it is seen', async () => {
    const { org, schedule, at } = await setup();
    const broken = await schedule(minutes(at, -2));
    const fine = await schedule(minutes(at, -1));
    // A version 4 already on record: writing broken's next snapshot violates the primary key.
    await db.insert(contentVersions).values({
      contentId: broken.id,
      version: 4,
      organizationId: org.id,
      action: 'content.update',
      snapshot: {},
      authorType: 'system',
    });

    await expect(tickFor(org, at)).rejects.toThrow(`1 item(s) could not be processed and stay due (${broken.id})`);
    expect((await readItem(db, fine.id)).status).toBe('published');
    expect(await readItem(db, broken.id)).toMatchObject({
      status: 'approved',
      version: 3,
      scheduleError: null,
      scheduleFailedAt: null,
    });
    const trail = await trailOf(db, broken.id);
    expect([trail.versions.map((v) => v.action), trail.audit, trail.events]).toEqual([['content.update'], [], []]);

    await db.delete(contentVersions).where(eq(contentVersions.contentId, broken.id));
    expect(await tickFor(org, at)).toEqual({ published: 1, failed: 0, remaining: 0 });
    await expectPublishedOnce(broken.id, broken.scheduledAt!);
  });

  it('leaves published and archived items alone even if they still carry a time', async () => {
    const { org, schedule, at } = await setup();
    const published = await schedule(minutes(at, -1), { status: 'published', publishedVersion: 3 });
    const archived = await schedule(minutes(at, -1), { status: 'archived' });
    expect(await tickFor(org, at)).toEqual({ published: 0, failed: 0, remaining: 0 });
    for (const item of [published, archived]) expect((await trailOf(db, item.id)).versions).toEqual([]);
  });
});
