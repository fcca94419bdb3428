import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../../src/index.ts';
import { insertScheduled, instantIn, minutes, readItem, trailOf } from './fixtures.ts';
import { useHarness } from '../harness.ts';

const { db, newTenant } = useHarness();

async function tick(scheduledTime: Date) {
  const execution = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env, execution);
  await waitOnExecutionContext(execution);
}

describe('the every-minute cron publishes due content', () => {
  it('publishes a due item once across repeated ticks, relays its event, and leaves a future one alone', async () => {
    const org = await newTenant();
    // The real handler runs for every tenant, so its tick lies in 1990: only this fixture is due by then,
    // and no other test's scheduled content (always in the future) is touched. Another file's tick may
    // publish the fixture first; the assertions hold either way, because it is published exactly once.
    const at = instantIn(1990);
    const due = await insertScheduled(db, org.id, org.users.editor.id, { scheduledAt: minutes(at, -1) });
    const future = await insertScheduled(db, org.id, org.users.editor.id, { scheduledAt: instantIn(2900) });

    await tick(at);
    await tick(at);

    expect(await readItem(db, due.id)).toMatchObject({
      status: 'published',
      version: 4,
      publishedVersion: 4,
      scheduledAt: null,
    });
    const { versions, audit, events } = await trailOf(db, due.id);
    expect(versions.map((v) => [v.version, v.action, v.authorType])).toEqual([[4, 'content.publish', 'system']]);
    expect(audit.map((a) => [a.action, a.actorType, a.organizationId])).toEqual([
      ['content.publish', 'system', org.id],
    ]);
    expect(events.map((e) => [e.type, e.organizationId])).toEqual([['content.published', org.id]]);
    // Relayed to the queue before the invocation ended (after commit, through waitUntil).
    expect(events[0]!.sentAt).toBeInstanceOf(Date);

    expect(await readItem(db, future.id)).toMatchObject({
      status: 'approved',
      version: 3,
      scheduledAt: future.scheduledAt,
    });
  });
});
