import { sql } from 'drizzle-orm';
import { describe } from '../../lib/logger.ts';
import { DomainError } from '../../lib/errors.ts';
import { TimeoutError, withTimeout } from '../../lib/timeout.ts';
import type { ServiceContext } from '../container.ts';
import { summarizeDeadLetters, type DeadLetterSummary } from '../dead-letters/dead-letter-summary.ts';
import { readHeartbeats, type CronRecord, type QueueRecord } from '../system/heartbeat.ts';
import { readAuditChainStatus, type AuditChainStatus } from '../audit-log/audit-chain-status.ts';

export type DependencyState = 'up' | 'down' | 'not_configured';

export interface DependencyCheck {
  status: DependencyState;
  latencyMs: number;
  /** Coarse reason only (timeout, unreachable, not_configured); details go to the log, not the client. */
  reason?: string;
}

export interface HealthReport {
  /** `ok` when every dependency is up; `degraded` otherwise. */
  status: 'ok' | 'degraded';
  /** Postgres is the system of record: without it the management API cannot work, so health is 503. */
  httpStatus: 200 | 503;
  checks: { database: DependencyCheck; redis: DependencyCheck; kv: DependencyCheck };
  heartbeats: { cron: CronRecord | null; queue: QueueRecord | null };
  /** The cron's last audit chain verification (null before the first); informs, never changes the status. */
  auditChain: AuditChainStatus | null;
  /** When the dependencies were probed: reports are reused for a few seconds (see cachedHealth). */
  checkedAt: string;
  /** What the queue gave up on and nobody has resolved yet; null when the database could not say. */
  deadLetters: DeadLetterSummary | null;
}

async function probe(
  ctx: ServiceContext,
  name: string,
  timeoutMs: number,
  run: () => Promise<unknown>,
): Promise<DependencyCheck> {
  const started = performance.now();
  try {
    await withTimeout(run(), timeoutMs, name);
    return { status: 'up', latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const latencyMs = Math.round(performance.now() - started);
    if (err instanceof DomainError && err.code.endsWith('not_configured'))
      return { status: 'not_configured', latencyMs, reason: 'not_configured' };
    ctx.logger.log('warn', 'health check failed', { dependency: name, error: describe(err) });
    return { status: 'down', latencyMs, reason: err instanceof TimeoutError ? 'timeout' : 'unreachable' };
  }
}

export async function checkHealth({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { timeoutMs: number };
}): Promise<HealthReport> {
  const { services } = ctx;
  const started = Date.now();
  let heartbeats: HealthReport['heartbeats'] = { cron: null, queue: null };
  let auditChain: AuditChainStatus | null = null;
  const [database, redis, kv, deadLetters] = await Promise.all([
    probe(ctx, 'database', input.timeoutMs, () => services.db.execute(sql`select 1`)),
    services.redis
      ? probe(ctx, 'redis', input.timeoutMs, async () => {
          const pong = await services.redis!.ping();
          if (pong !== 'PONG') throw new Error(`unexpected PING reply ${pong}`);
        })
      : Promise.resolve<DependencyCheck>({ status: 'not_configured', latencyMs: 0, reason: 'not_configured' }),
    probe(ctx, 'kv', input.timeoutMs, async () => {
      const [beats, chain] = await Promise.all([readHeartbeats(ctx), readAuditChainStatus(ctx)]);
      heartbeats = { cron: beats.cron ?? null, queue: beats.queue ?? null };
      auditChain = chain ?? null;
    }),
    // Reported, not judged: dead letters do not make the service degraded, an operator alerts on them.
    withTimeout(summarizeDeadLetters(ctx), input.timeoutMs, 'dead letters').catch((err: unknown) => {
      ctx.logger.log('warn', 'health: dead letters not counted', { error: describe(err) });
      return null;
    }),
  ]);
  const allUp = [database, redis, kv].every((check) => check.status === 'up');
  return {
    status: allUp ? 'ok' : 'degraded',
    httpStatus: database.status === 'up' ? 200 : 503,
    checks: { database, redis, kv },
    heartbeats,
    auditChain,
    checkedAt: new Date(started).toISOString(),
    deadLetters,
  };
}

interface CachedReport {
  report: HealthReport | undefined;
  probedAt: number;
  /** When a probe for this entry started, if one is running. */
  probingSince: number | undefined;
}

// Per isolate, per set of dependencies (the tests point some requests elsewhere): the last report.
const reports = new Map<string, CachedReport>();

/**
 * /health without a probe per call: this isolate reuses its last report for `cacheMs`, so a flood of
 * /health costs each dependency at most one probe per window per isolate (docs/decisions/0029). While a
 * probe runs, other calls get the previous report rather than starting their own; only a cold isolate's
 * first concurrent calls each probe, since a request cannot wait on another request's I/O in Workers.
 */
export async function cachedHealth({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { timeoutMs: number; cacheMs: number };
}): Promise<HealthReport> {
  if (input.cacheMs <= 0) return checkHealth({ ctx, input });
  const { config } = ctx.services;
  const key = [config.databaseUrl, config.neonWsProxy, config.upstash?.url, input.timeoutMs].join('|');
  const now = Date.now();
  const entry = reports.get(key);
  // A probe that outlived every timeout was abandoned (its request went away): it no longer holds the entry.
  const probing = entry?.probingSince !== undefined && now - entry.probingSince < input.timeoutMs + 1_000;
  if (entry?.report && (now - entry.probedAt < input.cacheMs || probing)) return entry.report;
  if (reports.size >= 100) reports.clear(); // bounded: one entry per dependency set, and there are few
  reports.set(key, { report: entry?.report, probedAt: entry?.probedAt ?? 0, probingSince: now });
  try {
    const report = await checkHealth({ ctx, input });
    reports.set(key, { report, probedAt: Date.now(), probingSince: undefined });
    return report;
  } catch (err) {
    reports.set(key, { report: entry?.report, probedAt: entry?.probedAt ?? 0, probingSince: undefined });
    throw err;
  }
}
