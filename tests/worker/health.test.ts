import { env } from 'cloudflare:test';
import { describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { systemKey } from '../../src/cache/kv-keys.ts';
import { newEvent } from '../../src/events/envelope.ts';
import { recordDeadLetters } from '../../src/services/dead-letters/record-dead-letters.ts';
import type { Services } from '../../src/services/container.ts';
import { cachedHealth } from '../../src/services/health/check-health.ts';
import { call, callApp } from './helpers.ts';
import { useHarness } from './harness.ts';
import { serviceContext } from './service-context.ts';

const { ctx } = useHarness();

interface HealthBody {
  status: string;
  checks: Record<'database' | 'redis' | 'kv', { status: string; latencyMs: number; reason?: string }>;
  heartbeats: { cron: { scheduledTime: string } | null };
  checkedAt: string;
  deadLetters: { unresolved: number; oldestAgeSeconds: number | null } | null;
}

/** A service context whose database and Redis count the probes they answer (`select 1`, PING). */
function countingContext() {
  const ctx = serviceContext();
  const asked = { database: 0, redis: 0 };
  const { db, redis } = ctx.services;
  const services: Services = Object.create(ctx.services, {
    db: {
      value: {
        execute: (query: Parameters<typeof db.execute>[0]) => {
          asked.database++;
          return db.execute(query);
        },
      },
    },
    redis: {
      value: {
        ping: () => {
          asked.redis++;
          return redis!.ping();
        },
      },
    },
  });
  return { ctx: { ...ctx, services }, asked, dispose: () => ctx.services.dispose() };
}

describe('GET /health', () => {
  it('is ok with every dependency up', async () => {
    const res = await call('/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as HealthBody;
    expect(body.status).toBe('ok');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.redis.status).toBe('up');
    expect(body.checks.kv.status).toBe('up');
  });

  it('answers 503 degraded when the database is unreachable, without internals', async () => {
    // Port 1 on loopback: nothing listens there, and the proxy refuses targets it was not given.
    const res = await callApp(createApp(), '/health', {}, { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' });
    expect(res.status).toBe(503);
    const text = await res.text();
    const body = JSON.parse(text) as HealthBody;
    expect(body.status).toBe('degraded');
    expect(body.checks.database).toMatchObject({ status: 'down', reason: 'unreachable' });
    expect(body.checks.kv.status).toBe('up');
    expect(body.deadLetters).toBeNull();
    expect(text).not.toMatch(/127\.0\.0\.1:1|nowhere|stack/);
  });

  it('counts the dead letters nobody has resolved, and says how old the oldest is', async () => {
    const event = newEvent('content.unpublished', crypto.randomUUID(), { contentId: crypto.randomUUID(), version: 2 });
    const hourAgo = new Date(Date.now() - 3_600_000);
    await recordDeadLetters({
      ctx,
      input: {
        eventId: event.id,
        eventType: event.type,
        organizationId: event.organizationId,
        body: event,
        reason: 'effect_failed',
        effects: ['delivery-cache'],
        error: 'KV is unavailable',
      },
      now: hourAgo,
    });
    // A fresh probe, not this isolate's report from an earlier test (HEALTH_CACHE_SECONDS).
    const res = await callApp(createApp(), '/health', {}, { HEALTH_CACHE_SECONDS: '0' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthBody;
    // Reported, not judged: a dead letter does not make the service degraded.
    expect(body.status).toBe('ok');
    expect(body.deadLetters!.unresolved).toBeGreaterThanOrEqual(1);
    expect(body.deadLetters!.oldestAgeSeconds).toBeGreaterThanOrEqual(3_600);
  });

  it('is degraded but serving (200) when Redis is unreachable', async () => {
    const res = await callApp(createApp(), '/health', {}, { UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as HealthBody;
    expect(body.status).toBe('degraded');
    expect(body.checks.redis.status).toBe('down');
    expect(body.checks.database.status).toBe('up');
  });

  it('reports a dependency that accepts but never answers as down by timeout', async () => {
    // The test stack runs a TCP server that accepts connections and never replies (tests/stack/plan.ts).
    const hole = `127.0.0.1:${inject('blackHolePort')}`;
    const res = await callApp(
      createApp(),
      '/health',
      {},
      {
        HEALTH_TIMEOUT_MS: '300',
        DATABASE_URL: `postgres://postgres@${hole}/silent`,
        UPSTASH_REDIS_REST_URL: `http://${hole}`,
      },
    );
    expect(res.status).toBe(503);
    const body = (await res.json()) as HealthBody;
    expect(body.checks.database).toMatchObject({ status: 'down', reason: 'timeout' });
    expect(body.checks.redis).toMatchObject({ status: 'down', reason: 'timeout' });
    expect(body.checks.database.latencyMs).toBeLessThan(2_000);
  });
});

describe('GET /health probe reuse (HEALTH_CACHE_SECONDS)', () => {
  // Each test uses a timeout no other test does: reports are kept per set of dependencies and timeout.
  it('probes each dependency once per window, however often it is asked', async () => {
    const { ctx, asked, dispose } = countingContext();
    const input = { timeoutMs: 2_345, cacheMs: 60_000 };
    const reports = [];
    for (let i = 0; i < 5; i++) reports.push(await cachedHealth({ ctx, input }));
    expect(asked).toEqual({ database: 1, redis: 1 });
    expect(new Set(reports.map((r) => r.checkedAt)).size).toBe(1);
    expect(reports[0]!.status).toBe('ok');
    await dispose();
  });

  it('probes again once the window has passed, and on every call with no window', async () => {
    const { ctx, asked, dispose } = countingContext();
    const input = { timeoutMs: 2_346, cacheMs: 150 };
    await cachedHealth({ ctx, input });
    await cachedHealth({ ctx, input });
    expect(asked.database).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await cachedHealth({ ctx, input });
    expect(asked.database).toBe(2);
    for (let i = 0; i < 3; i++) await cachedHealth({ ctx, input: { timeoutMs: 2_347, cacheMs: 0 } });
    expect(asked.database).toBe(5);
    await dispose();
  });

  it('serves the same report over HTTP within the window: a heartbeat written meanwhile shows only later', async () => {
    const overrides = { HEALTH_TIMEOUT_MS: '2348', HEALTH_CACHE_SECONDS: '60' };
    const first = (await (await callApp(createApp(), '/health', {}, overrides)).json()) as HealthBody;
    const key = systemKey('heartbeat', 'cron');
    const scheduledTime = new Date(Date.UTC(2031, 0, 1)).toISOString();
    await env.DELIVERY_CACHE.put(key, JSON.stringify({ cron: '* * * * *', scheduledTime, ranAt: scheduledTime }));
    const second = (await (await callApp(createApp(), '/health', {}, overrides)).json()) as HealthBody;
    expect(second.checkedAt).toBe(first.checkedAt);
    expect(second.heartbeats.cron?.scheduledTime).not.toBe(scheduledTime);
    // Without the window (another timeout, so another report), the probe sees it at once.
    const fresh = (await (
      await callApp(createApp(), '/health', {}, { HEALTH_TIMEOUT_MS: '2349', HEALTH_CACHE_SECONDS: '0' })
    ).json()) as HealthBody;
    expect(fresh.heartbeats.cron?.scheduledTime).toBe(scheduledTime);
    expect(Date.parse(fresh.checkedAt)).toBeGreaterThanOrEqual(Date.parse(first.checkedAt));
  });
});

describe('request ids', () => {
  it('echoes a valid X-Request-Id', async () => {
    const res = await call('/health', { headers: { 'x-request-id': 'client-trace-123' } });
    expect(res.headers.get('x-request-id')).toBe('client-trace-123');
  });

  it('replaces an invalid or missing one with a fresh UUID', async () => {
    const bad = await call('/health', { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(bad.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const long = await call('/health', { headers: { 'x-request-id': 'a'.repeat(129) } });
    expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const none = await call('/health');
    expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers.get('x-request-id')).not.toBe(bad.headers.get('x-request-id'));
  });
});

describe('database outages on the management API', () => {
  it('answer 503 database_unavailable with Retry-After, never 500', async () => {
    const { authHeaders } = await import('./auth.ts');
    const res = await callApp(
      createApp(),
      '/api/v1/me',
      { headers: await authHeaders('viewer') },
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = (await res.json()) as { code: string; detail: string };
    expect(body.code).toBe('database_unavailable');
    expect(JSON.stringify(body)).not.toMatch(/127\.0\.0\.1|nowhere|select/);
  });
});

describe('GET /health/live', () => {
  it('answers 200 without any dependency, even with the database and Redis unreachable', async () => {
    const res = await callApp(
      createApp(),
      '/health/live',
      {},
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere', UPSTASH_REDIS_REST_URL: 'http://127.0.0.1:1' },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('cache-control')).toBe('no-store');
  });
});
