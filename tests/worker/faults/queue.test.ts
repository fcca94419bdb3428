import { describe, expect, it } from 'vitest';
import { consumed, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { useWebhookedWrites, cronTick, failingQueue, outboxIdsOf, webhookProblems } from './fixtures.ts';

/**
 * Queues refusing the send after the change committed (issue 14, item 4): the change stands, its event
 * waits in the outbox with the error, and the every-minute cron relays it once the queue takes sends again.
 * Proved by what reaches the other side: the consumer acknowledges the event and its webhook arrives once.
 */

const h = useHarness();
const { db } = h;
const world = useWebhookedWrites(h, 'Queue');
const { create, outboxRow } = world;

describe('the queue refusing sends after commit', () => {
  it(
    'the write is answered 201; its event waits in the outbox with the error through two cron ticks of outage, ' +
      'and the first tick after relays it: consumed, webhook once',
    async () => {
      const res = await create({ EVENTS_QUEUE: failingQueue });
      expect(res.status, await res.clone().text()).toBe(201);
      const { id } = (await res.json()) as { id: string };
      const [eventId, ...others] = await outboxIdsOf(db, id);
      expect(others).toEqual([]);
      // The after-commit relay tried, failed and said why.
      expect(await outboxRow(eventId!)).toMatchObject({ sentAt: null, attempts: 1, lastError: 'queue unavailable' });

      // Two ticks while the queue is still down: the cron itself fails (its heartbeat cannot be sent) and shows it.
      const now = Date.now();
      for (const minute of [1, 2]) {
        await expect(cronTick(new Date(now + minute * 60_000), { EVENTS_QUEUE: failingQueue })).rejects.toThrow(
          /cron jobs failed/,
        );
      }
      expect(await outboxRow(eventId!)).toMatchObject({ sentAt: null, attempts: 3 });

      await cronTick(new Date(now + 3 * 60_000));
      expect((await outboxRow(eventId!)).sentAt).toBeInstanceOf(Date);
      const acked = await consumed((e) => e.id === eventId).then(
        () => true,
        () => false,
      );
      const problems = [
        ...(acked ? [] : [`event ${eventId} never consumed`]),
        ...(await webhookProblems(world.hook, [eventId!])),
      ];
      score('faults', { tried: 1, failed: problems.length });
      expect(problems).toEqual([]);
    },
  );
});
