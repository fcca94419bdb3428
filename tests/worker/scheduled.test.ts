import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../src/index.ts';
import { systemKey } from '../../src/cache/kv-keys.ts';
import { createBackgroundContext } from '../../workers/background-context.ts';
import { runCronJobs } from '../../workers/scheduled.ts';
import { call, eventually } from './helpers.ts';

describe('scheduled handler', () => {
  it('runs the cron jobs: records the tick and sends a heartbeat through the queue', async () => {
    const scheduledTime = new Date(Date.UTC(2026, 10, 22, 12, 30));
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime, cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    const cron = (await env.DELIVERY_CACHE.get(systemKey('heartbeat', 'cron'), 'json')) as {
      scheduledTime: string;
      cron: string;
    } | null;
    expect(cron).toMatchObject({ cron: '* * * * *', scheduledTime: scheduledTime.toISOString() });

    // The heartbeat crosses the real queue to the consumer; /health then reports both sides.
    const health = await eventually(async () => {
      const body = (await (await call('/health')).json()) as {
        heartbeats: { cron: { scheduledTime: string } | null; queue: { sentAt: string } | null };
      };
      return body.heartbeats.queue &&
        Date.parse(body.heartbeats.queue.sentAt) >= Date.parse(body.heartbeats.cron!.scheduledTime)
        ? body
        : undefined;
    }, 10_000);
    expect(health.heartbeats.cron?.scheduledTime).toBe(scheduledTime.toISOString());
  });

  it('runs every job even when one fails, then reports the failure', async () => {
    const ran: string[] = [];
    const jobs = [
      { name: 'breaks', run: async () => Promise.reject(new Error('nope')) },
      { name: 'works', run: async () => void ran.push('works') },
    ];
    await expect(
      runCronJobs(createBackgroundContext(env, {}), { cron: '* * * * *', scheduledTime: new Date() }, jobs),
    ).rejects.toThrow('cron jobs failed: breaks');
    expect(ran).toEqual(['works']);
  });
});
