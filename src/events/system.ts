import { z } from 'zod';
import { defineEvent, type EventOf } from './define.ts';

/**
 * Sent by every cron tick through the queue; the consumer records its arrival, so /health shows a stuck
 * queue (services/system/heartbeat.ts). Only the envelope's id and time matter.
 */
export const HEARTBEAT_EVENT = 'system.heartbeat';
export const heartbeatEvent = defineEvent(
  HEARTBEAT_EVENT,
  'platform',
  z.looseObject({ cron: z.string().optional(), scheduledTime: z.string().optional() }),
);
export type Heartbeat = EventOf<typeof heartbeatEvent>;
