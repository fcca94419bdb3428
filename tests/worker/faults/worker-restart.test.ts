import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { processedEvents } from '../../../src/db/schema/index.ts';
import { consumed, needsPostgres, useHarness } from '../harness.ts';
import { score } from '../scorecard.ts';
import { faultyDatabase } from './fault-database.ts';
import { useWebhookedWrites, cronTick, outboxIdsOf, webhookProblems } from './fixtures.ts';

/**
 * The Worker gone between the write and its relay (issue 14, item 4): an isolate that is evicted or
 * restarted after the commit does nothing more, which the fault proxy reproduces by taking the database
 * away from the request at that point, for good. The event is then the cron's to relay. Gone between the
 * send and the mark, the event has left but is still unsent in the outbox: the cron sends it again and the
 * consumer, seeing it twice, does each effect once.
 */

const h = useHarness();
const { db } = h;
const world = useWebhookedWrites(h, 'Restart');
const { create, outboxRow } = world;
const ledger = (eventId: string) =>
  db
    .select({ consumer: processedEvents.consumer })
    .from(processedEvents)
    .where(and(eq(processedEvents.eventId, eventId)));

describe('the Worker restarted between the write and its relay', () => {
  it(
    'gone before the relay: 201, the event never left and waits unsent; the next cron tick relays it: consumed, webhook once',
    needsPostgres,
    async () => {
      const fault = await faultyDatabase({ match: 'for update skip locked' });
      const res = await create(fault.bindings);
      expect(res.status, await res.clone().text()).toBe(201);
      expect((await fault.state()).tripped).toBe(true);
      const { id } = (await res.json()) as { id: string };
      const [eventId] = await outboxIdsOf(db, id);
      // Not even tried: the isolate was gone before it claimed the row.
      expect(await outboxRow(eventId!)).toMatchObject({ sentAt: null, attempts: 0 });

      await cronTick(new Date());
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

  it(
    'gone between send and mark: the event went out and is still unsent; the cron sends it again, and the consumer does each effect once',
    needsPostgres,
    async () => {
      const fault = await faultyDatabase({ match: 'update "outbox" set "sent_at"' });
      const res = await create(fault.bindings);
      expect(res.status, await res.clone().text()).toBe(201);
      expect((await fault.state()).tripped).toBe(true);
      const { id } = (await res.json()) as { id: string };
      const [eventId] = await outboxIdsOf(db, id);
      expect(await outboxRow(eventId!)).toMatchObject({ sentAt: null });

      await cronTick(new Date());
      expect((await outboxRow(eventId!)).sentAt).toBeInstanceOf(Date);
      // Both copies reach the consumer and are acknowledged.
      const acked = await consumed((e) => e.id === eventId, 2).then(
        () => true,
        () => false,
      );
      const problems = [
        ...(acked ? [] : [`event ${eventId} not delivered twice`]),
        ...(await webhookProblems(world.hook, [eventId!])),
      ];
      const consumers = (await ledger(eventId!)).map((row) => row.consumer).sort();
      if (JSON.stringify(consumers) !== JSON.stringify(['delivery-cache', 'webhooks']))
        problems.push(`effects recorded: ${consumers.join(', ')}`);
      score('faults', { tried: 1, failed: problems.length });
      expect(problems).toEqual([]);
    },
  );
});
