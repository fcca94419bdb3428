import { expect, inject } from 'vitest';
import { eq } from 'drizzle-orm';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import type { Database } from '../../../src/db/client.ts';
import { webhookDeliveries, webhooks, type WebhookDelivery } from '../../../src/db/schema/index.ts';
import { newEvent, type EventEnvelope } from '../../../src/events/envelope.ts';
import type { ServiceContext } from '../../../src/services/container.ts';
import {
  attemptWebhookDelivery,
  type AttemptOptions,
  type AttemptResult,
} from '../../../src/services/webhooks/attempt-delivery.ts';
import { WEBHOOK_DELIVERY_JOB, type DeliveryJob } from '../../../src/events/webhooks.ts';
import { fanOutEvent } from '../../../src/services/webhooks/fan-out-event.ts';
import type { Bindings } from '../../../src/config.ts';
import { call, created, type Harness, type Headers, type Tenant } from '../harness.ts';

export interface WebhookResource {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  active: boolean;
  status: 'active' | 'inactive' | 'disabled';
  disabledReason: 'endpoint_gone' | 'failing' | null;
  disabledAt: string | null;
  failingSince: string | null;
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  signingSecrets: Array<{ id: string; createdAt: string; expiresAt: string | null }>;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}
export type CreatedWebhook = WebhookResource & { secret: string };

export interface DeliveryResource {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'sending' | 'succeeded' | 'dead_letter';
  attemptCount: number;
  nextAttemptAt: string | null;
  lastStatusCode: number | null;
  lastError: string | null;
  payload: Record<string, unknown>;
  attempts: Array<{
    number: number;
    statusCode: number | null;
    durationMs: number;
    responseExcerpt: string | null;
    error: string | null;
    succeeded: boolean;
  }>;
}

export interface Recorded {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  receivedAt: number;
}

/** A receiver endpoint of its own: `/hooks/<scenario>/<unique id>` (tests/stack/webhook-receiver.ts). */
export function receiverUrl(scenario: string): string {
  return `${inject('webhookReceiverUrl')}/hooks/${scenario}/${crypto.randomUUID()}`;
}

/** What the receiver got at a URL it served, in order. */
export async function recorded(url: string): Promise<Recorded[]> {
  const path = new URL(url).pathname.slice('/hooks/'.length);
  const res = await fetch(`${inject('webhookReceiverUrl')}/_recorded/${path}`);
  return (await res.json()) as Recorded[];
}

export function webhookRequest(method: string, path: string, headers: Headers, body?: unknown): Promise<Response> {
  const json: Headers = body === undefined ? {} : { 'content-type': 'application/json' };
  return call(`/api/v1/webhooks${path}`, {
    method,
    headers: { ...headers, ...json },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export const createWebhook = (
  headers: Headers,
  body: { url: string; eventTypes?: string[]; description?: string | null; active?: boolean },
): Promise<CreatedWebhook> => created('/api/v1/webhooks', { eventTypes: ['content.*'], ...body }, headers);

export async function listDeliveries(org: Tenant, webhookId: string, query = ''): Promise<DeliveryResource[]> {
  const res = await webhookRequest('GET', `/${webhookId}/deliveries?limit=100${query}`, org.users.org_admin.headers);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { data: DeliveryResource[] }).data;
}

/** Verifies with the independent `standardwebhooks` package; throws when the signature does not match. */
export function verify(secret: string, request: Pick<Recorded, 'body' | 'headers'>): unknown {
  return new StandardWebhook(secret).verify(request.body, request.headers);
}

export interface SentJob {
  body: EventEnvelope;
  delaySeconds: number | undefined;
}

export interface RecordingQueue {
  ctx: ServiceContext;
  /** The webhook effect of an event; returns the delivery jobs it sent. */
  fanOut(event: EventEnvelope): Promise<SentJob[]>;
  /** One attempt, as the consumer makes it for a job; returns the outcome and the jobs it sent (a retry). */
  attempt(job: SentJob, options?: AttemptOptions): Promise<{ result: AttemptResult; jobs: SentJob[] }>;
  /** Jobs sent by anything else since the last call (the cron, a dispatch). */
  takeJobs(): SentJob[];
}

/**
 * A service context (of the harness: closed after the file) whose queue records what is sent instead of
 * delivering it, so a test drives each attempt itself (and no consumer races it).
 */
export function useRecordingQueue(context: Harness['context']): RecordingQueue {
  const sent: SentJob[] = [];
  const queue = {
    send: async (body: EventEnvelope, options?: { delaySeconds?: number }) =>
      void sent.push({ body, delaySeconds: options?.delaySeconds }),
    sendBatch: async (messages: Array<{ body: EventEnvelope; delaySeconds?: number }>) =>
      void sent.push(...messages.map((m) => ({ body: m.body, delaySeconds: m.delaySeconds }))),
  } as unknown as Queue;
  const ctx = context({ EVENTS_QUEUE: queue } as Partial<Bindings>);
  const takeJobs = () => sent.splice(0).filter((job) => job.body.type === WEBHOOK_DELIVERY_JOB);
  return {
    ctx,
    takeJobs,
    async fanOut(event) {
      takeJobs();
      await fanOutEvent(event, ctx);
      return takeJobs();
    },
    async attempt(job, options) {
      takeJobs();
      const result = await attemptWebhookDelivery({ ctx, input: jobOf(job), options });
      return { result, jobs: takeJobs() };
    },
  };
}

export const jobOf = (job: SentJob) => job.body.data as unknown as DeliveryJob;

/** A content event of the organization, as the outbox relay would put it on the queue. */
export const contentEvent = (organizationId: string, type = 'content.published'): EventEnvelope =>
  newEvent(type, organizationId, {
    contentId: crypto.randomUUID(),
    version: 2,
    status: 'published',
    actor: { type: 'user', id: crypto.randomUUID() },
  });

export async function deliveryRow(db: Database, id: string): Promise<WebhookDelivery> {
  const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, id));
  return row!;
}

export async function deliveriesOfEvent(db: Database, eventId: string): Promise<WebhookDelivery[]> {
  return db.select().from(webhookDeliveries).where(eq(webhookDeliveries.eventId, eventId));
}

export const storedWebhook = async (db: Database, id: string) =>
  (await db.select().from(webhooks).where(eq(webhooks.id, id)))[0];
