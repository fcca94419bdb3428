import { z } from 'zod';
import { systemKey } from '../../cache/kv-keys.ts';
import { newEvent, type EventEnvelope } from '../../events/envelope.ts';
import { HEARTBEAT_EVENT } from '../../events/system.ts';
import type { ServiceContext } from '../container.ts';

/**
 * Liveness of the asynchronous machinery. Each cron tick records itself and sends a heartbeat event
 * through the queue; the consumer records its arrival. /health reports both, so an operator can see a
 * stalled cron or a stuck queue without reading logs.
 */
const CRON_KEY = systemKey('heartbeat', 'cron');
const QUEUE_KEY = systemKey('heartbeat', 'queue');

const cronRecordSchema = z.object({ cron: z.string(), scheduledTime: z.string(), ranAt: z.string() });
const queueRecordSchema = z.object({
  eventId: z.string(),
  sentAt: z.string(),
  consumedAt: z.string(),
  lagMs: z.number(),
});

export type CronRecord = z.infer<typeof cronRecordSchema>;
export type QueueRecord = z.infer<typeof queueRecordSchema>;

export async function recordCronTick({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { cron: string; scheduledTime: Date };
}): Promise<EventEnvelope> {
  const now = new Date();
  const record: CronRecord = {
    cron: input.cron,
    scheduledTime: input.scheduledTime.toISOString(),
    ranAt: now.toISOString(),
  };
  const event = newEvent(HEARTBEAT_EVENT, null, { cron: input.cron, scheduledTime: record.scheduledTime }, now);
  await Promise.all([ctx.services.kv.put(CRON_KEY, record), ctx.services.queue.send(event)]);
  return event;
}

export async function recordQueueHeartbeat({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { event: Pick<EventEnvelope, 'id' | 'occurredAt'> };
}): Promise<QueueRecord> {
  const consumedAt = new Date();
  const record: QueueRecord = {
    eventId: input.event.id,
    sentAt: input.event.occurredAt,
    consumedAt: consumedAt.toISOString(),
    lagMs: consumedAt.getTime() - Date.parse(input.event.occurredAt),
  };
  await ctx.services.kv.put(QUEUE_KEY, record);
  return record;
}

export async function readHeartbeats(
  ctx: ServiceContext,
): Promise<{ cron: CronRecord | undefined; queue: QueueRecord | undefined }> {
  const [cron, queue] = await Promise.all([
    ctx.services.kv.get(CRON_KEY, cronRecordSchema),
    ctx.services.kv.get(QUEUE_KEY, queueRecordSchema),
  ]);
  return { cron, queue };
}
