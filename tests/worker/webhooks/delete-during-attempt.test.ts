import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { webhookDeliveries, webhooks } from '../../../src/db/schema/index.ts';
import { needsPostgres, useHarness } from '../harness.ts';
import { contentEvent, createWebhook, receiverUrl, useRecordingQueue } from './fixtures.ts';

/**
 * Found by the OpenAPI fuzz test (ADR 0033): DELETE /api/v1/webhooks/{id} answered 500 ("deadlock detected")
 * when a delivery attempt of that webhook was being recorded at the same moment. The delete locks the
 * webhook's row and then, through its cascade, the deliveries'; recording an attempt locked the delivery's
 * row and then the webhook's. Now recording takes the webhook's row first, so one waits for the other.
 */

const { db, context, useTenant } = useHarness();
const org = useTenant();
const queue = useRecordingQueue(context);

describe('deleting a webhook while an attempt of it is being recorded', () => {
  // Two transactions at once; PGlite serves one session.
  it('waits instead of deadlocking: the delete goes through and the attempt is stale', needsPostgres, async () => {
    const hook = await createWebhook(org.users.org_admin.headers, { url: receiverUrl('ok'), eventTypes: ['*'] });
    const [job] = await queue.fanOut(contentEvent(org.id));

    // The delete's order, held open: the webhook's row first; the cascade to its deliveries comes later.
    const deleter = context();
    let deleted!: () => void;
    let locked!: (pid: number) => void;
    const holderPid = new Promise<number>((resolve) => (locked = resolve));
    const mayDelete = new Promise<void>((resolve) => (deleted = resolve));
    const deleting = deleter.services.db.transaction(async (tx) => {
      await tx.select().from(webhooks).where(eq(webhooks.id, hook.id)).for('update');
      const [{ pid }] = (await tx.execute(sql`select pg_backend_pid() as pid`)).rows as [{ pid: number }];
      locked(pid);
      await mayDelete;
      await tx.delete(webhooks).where(eq(webhooks.id, hook.id));
    });

    const pid = await holderPid;
    const attempting = queue.attempt(job!);
    // Until the attempt is queued behind the delete's lock (it sends to the receiver first).
    for (let waited = 0; ; waited += 20) {
      const { rows } = await db.execute(
        sql`select count(*)::int as n from pg_stat_activity where ${pid} = any(pg_blocking_pids(pid))`,
      );
      if ((rows[0] as { n: number }).n > 0) break;
      if (waited > 10_000) throw new Error('the attempt never waited for the webhook lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    deleted();
    try {
      await deleting;
      expect((await attempting).result).toBe('stale');
    } finally {
      await deleter.services.dispose();
    }
    expect(await db.select().from(webhooks).where(eq(webhooks.id, hook.id))).toEqual([]);
    expect(await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).toEqual([]);
  });
});
