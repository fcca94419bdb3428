import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import worker from '../../../src/index.ts';
import type { Bindings } from '../../../src/config.ts';
import type { Database } from '../../../src/db/client.ts';
import { auditLog, content, contentVersions, outbox } from '../../../src/db/schema/index.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import { cronJobs } from '../../../workers/scheduled.ts';
import { beforeAll } from 'vitest';
import { createApp } from '../../../src/app.ts';
import { callApp } from '../helpers.ts';
import { consumed, eventually, type Harness } from '../harness.ts';
import { createWebhook, receiverUrl, recorded } from '../webhooks/fixtures.ts';

/**
 * What the content writes of one organization left behind, counted: a write that committed adds one row to
 * each, one that did not adds none, and anything else is a write half done.
 */
export interface ContentTrail {
  content: number;
  versions: number;
  audit: number;
  outbox: number;
}

export async function contentTrail(db: Database, organizationId: string): Promise<ContentTrail> {
  const [[items], [versions], [audit], [events]] = await Promise.all([
    db.select({ n: count() }).from(content).where(eq(content.organizationId, organizationId)),
    db.select({ n: count() }).from(contentVersions).where(eq(contentVersions.organizationId, organizationId)),
    db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, organizationId), eq(auditLog.entityType, 'content'))),
    db.select({ n: count() }).from(outbox).where(eq(outbox.organizationId, organizationId)),
  ]);
  return { content: items!.n, versions: versions!.n, audit: audit!.n, outbox: events!.n };
}

/** after − before, per table. */
export function added(after: ContentTrail, before: ContentTrail): ContentTrail {
  return {
    content: after.content - before.content,
    versions: after.versions - before.versions,
    audit: after.audit - before.audit,
    outbox: after.outbox - before.outbox,
  };
}

/** Every table moved by the same amount (0 or 1 for one write): the write is all there or not at all. */
export const wholeOrNothing = (delta: ContentTrail, expected: number) =>
  delta.versions === expected && delta.audit === expected && delta.outbox === expected;

/** The cron's own outbox job, run once now: what catches up on events whose after-commit relay did not happen. */
export async function cronRelay(ctx: ServiceContext): Promise<void> {
  const job = cronJobs.find((j) => j.name === 'outbox-relay');
  if (!job) throw new Error('the cron has no outbox-relay job');
  await job.run(ctx, { cron: '* * * * *', scheduledTime: new Date() });
}

/**
 * The events of `ids` that never made it: not marked sent in the outbox after the cron's relay, or never
 * acknowledged by the queue consumer within `timeoutMs`. An event in that list is lost.
 */
export async function lostEvents(
  db: Database,
  ctx: ServiceContext,
  ids: string[],
  timeoutMs = 15_000,
): Promise<string[]> {
  if (ids.length === 0) return [];
  const deadline = Date.now() + timeoutMs;
  let unsent = ids;
  // A row the dead connection still had locked is skipped until PostgreSQL has noticed and rolled that back:
  // the cron takes it on a later tick, as it would in a minute.
  for (;;) {
    await cronRelay(ctx);
    const rows = await db.select({ id: outbox.id, sentAt: outbox.sentAt }).from(outbox).where(inArray(outbox.id, ids));
    unsent = ids.filter((id) => !rows.some((row) => row.id === id && row.sentAt));
    if (unsent.length === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const sent = ids.filter((id) => !unsent.includes(id));
  const acked = await consumed((event) => sent.includes(event.id), sent.length, timeoutMs).then(
    (settled) => new Set(settled.map((s) => s.event.id)),
    () => new Set<string>(),
  );
  return [...unsent, ...sent.filter((id) => !acked.has(id))];
}

/** The outbox events written for one content item, oldest first. */
export async function outboxIdsOf(db: Database, contentId: string): Promise<string[]> {
  const rows = await db
    .select({ id: outbox.id })
    .from(outbox)
    .where(sql`${outbox.payload}->>'contentId' = ${contentId}`)
    .orderBy(asc(outbox.occurredAt));
  return rows.map((row) => row.id);
}

/** The every-minute cron, as the platform fires it, with bindings overridden (e.g. a queue that is down). */
export async function cronTick(scheduledTime: Date, overrides: Partial<Bindings> = {}): Promise<void> {
  const execution = createExecutionContext();
  try {
    await worker.scheduled(
      createScheduledController({ scheduledTime, cron: '* * * * *' }),
      { ...env, ...overrides } as Bindings,
      execution,
    );
  } finally {
    await waitOnExecutionContext(execution);
  }
}

/** Webhook requests a receiver URL got, counted per event id (the payload's `id`). */
export async function sendsPerEvent(url: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const request of await recorded(url)) {
    const { id } = JSON.parse(request.body) as { id: string };
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}

/**
 * Waits until the receiver has a request for every event of `ids`, then reports each event whose webhook did
 * not arrive exactly once (missing or repeated): what "no lost event, no duplicate effect" means for a webhook.
 */
export async function webhookProblems(url: string, ids: string[], timeoutMs = 15_000): Promise<string[]> {
  const arrived = await eventually(
    async () => {
      const counts = await sendsPerEvent(url);
      return ids.every((id) => counts.has(id)) ? counts : undefined;
    },
    timeoutMs,
    50,
  ).catch(() => sendsPerEvent(url));
  return ids.flatMap((id) => {
    const n = arrived.get(id) ?? 0;
    return n === 1 ? [] : [`event ${id}: webhook sent ${n} times`];
  });
}

/** A queue binding that refuses every send, as the relay sees an outage of Queues. */
export const failingQueue = {
  send: () => Promise.reject(new Error('queue unavailable')),
  sendBatch: () => Promise.reject(new Error('queue unavailable')),
} as unknown as Queue;

/**
 * An organization of the file's own with a webhook on `content.created`, and a content create through the
 * app under the given bindings (a failing queue, a database that dies mid-flight): what the outbox tests
 * write, then follow to the queue, the consumer and the receiver. `hook` is set before the first test.
 */
export function useWebhookedWrites(h: Harness, label: string) {
  const org = h.useTenant();
  const app = createApp();
  const world = {
    hook: '',
    create: (bindings: Partial<Bindings>): Promise<Response> =>
      callApp(
        app,
        '/api/v1/content',
        {
          method: 'POST',
          headers: { ...org.users.editor.headers, 'content-type': 'application/json' },
          body: JSON.stringify({
            type: 'education',
            title: `${label} ${crypto.randomUUID()}`,
            body: 'Text.',
            platforms: ['web'],
          }),
        },
        bindings,
      ),
    outboxRow: async (id: string) => (await h.db.select().from(outbox).where(eq(outbox.id, id)))[0]!,
  };
  beforeAll(async () => {
    world.hook = receiverUrl('ok');
    await createWebhook(org.users.org_admin.headers, { url: world.hook, eventTypes: ['content.created'] });
  });
  return world;
}
