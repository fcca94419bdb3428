import { Redis } from '@upstash/redis/cloudflare';
import { KvJson } from '../cache/kv-json.ts';
import { openDatabase, type Database, type DatabaseHandle } from '../db/client.ts';
import type { AppConfig, Bindings } from '../config.ts';
import { describe } from '../lib/logger.ts';
import type { Logger } from '../lib/logger.ts';
import { SYSTEM_ACTOR, type Actor } from '../auth/principal.ts';
import { EdgeStore } from './delivery/edge-store.ts';

/**
 * Clients for one unit of work (a request, a queue batch, a cron run). Handlers and services take
 * them from here and never construct clients themselves; everything is opened lazily, so a request
 * that never touches Postgres never opens a socket.
 */
export interface Services {
  /** The parsed configuration, for services that depend on a setting (webhook keys and URL policy). */
  readonly config: AppConfig;
  readonly db: Database;
  /** Undefined when no Upstash endpoint is configured. */
  readonly redis: Redis | undefined;
  /** KV (the delivery cache binding); its failures throw. */
  readonly kv: KvJson;
  /** The same KV as the delivery read path sees it: time-limited and memoized, failures reported, not thrown. */
  readonly edgeStore: EdgeStore;
  readonly queue: Queue;
  readonly logger: Logger;
  /**
   * Work that must not delay the response (bookkeeping such as last_login). It runs after the
   * response through waitUntil, and the pool is closed only once it has settled.
   */
  defer(work: () => Promise<unknown>): void;
  /** Waits for deferred work, then closes what was opened; safe to call more than once. */
  dispose(): Promise<void>;
}

export interface ServiceContext {
  services: Services;
  logger: Logger;
  requestId: string;
}

/** A service call on behalf of someone inside one organization: every tenant query is scoped by it. */
export interface TenantContext extends ServiceContext {
  actor: Actor;
  organizationId: string;
  client: { ip: string | null; userAgent: string | null };
}

/** The platform acting inside one organization (cron, queue consumers): audit rows and events land in that tenant. */
export function systemContext(ctx: ServiceContext, organizationId: string): TenantContext {
  return { ...ctx, actor: SYSTEM_ACTOR, organizationId, client: { ip: null, userAgent: null } };
}

export function createServices(env: Bindings, config: AppConfig, logger: Logger): Services {
  let database: DatabaseHandle | undefined;
  let redis: Redis | undefined;
  const deferred: Promise<unknown>[] = [];
  const kv = new KvJson(env.DELIVERY_CACHE);
  return {
    config,
    get db() {
      database ??= openDatabase(config, (err) => logger.log('warn', 'database pool error', { error: describe(err) }));
      return database.db;
    },
    get redis() {
      if (!config.upstash) return undefined;
      redis ??= new Redis({
        url: config.upstash.url,
        token: config.upstash.token,
        enableTelemetry: false,
        // One quick retry: callers (rate limits, health) have their own policy for a Redis that is down.
        retry: { retries: 1, backoff: () => 50 },
      });
      return redis;
    },
    kv,
    edgeStore: new EdgeStore(kv, logger),
    queue: env.EVENTS_QUEUE,
    logger,
    defer(work) {
      deferred.push(
        work().catch((err: unknown) => logger.log('warn', 'deferred work failed', { error: describe(err) })),
      );
    },
    async dispose() {
      while (deferred.length > 0) await Promise.allSettled(deferred.splice(0));
      await database?.close();
    },
  };
}
