import { env } from 'cloudflare:test';
import { beforeAll } from 'vitest';
import { loadConfig, type Bindings } from '../../../src/config.ts';
import { databaseObserver, type Database } from '../../../src/db/client.ts';
import type { ServiceContext, Services } from '../../../src/services/container.ts';
import { encodeCursor } from '../../../src/services/delivery/list-cursor.ts';
import type { Content, NewContent } from '../../../src/db/schema/index.ts';
import { createToken } from '../delivery-tokens/fixtures.ts';
import { call, type Harness, type Headers, type Tenant } from '../harness.ts';
import { act, tenantItem } from '../workflow/fixtures.ts';

/** A tenant of the file's own (its lists and epoch are this file's alone) with a delivery token. */
export interface DeliveryTenant extends Tenant {
  token: string;
}

export function useDeliveryTenant(harness: Harness): DeliveryTenant {
  const tenant = harness.useTenant() as DeliveryTenant;
  beforeAll(async () => {
    tenant.token = (await createToken({}, { headers: tenant.users.org_admin.headers })).secret;
  });
  return tenant;
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** GET on the delivery API with the organization's token (or the headers given). */
export function deliveryGet(path: string, headers: Headers = {}): Promise<Response> {
  return call(`/delivery/v1/${path}`, { headers });
}

/** An item taken through the real publish action (so the outbox event and the queue consumer run). */
export async function publishedItem(db: Database, tenant: Tenant, values: Partial<NewContent> = {}): Promise<Content> {
  const item = await tenantItem(db, tenant, { status: 'approved', ...values });
  const res = await act(item.id, 'publish', tenant.users.editor.headers, undefined, {
    'if-match': `"${item.version}"`,
  });
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${await res.text()}`);
  return (await res.json()) as Content;
}

/** Polls the delivery API until `accept` holds for the JSON body (the queue consumer is asynchronous). */
export async function untilDelivered<T>(
  path: string,
  headers: Headers,
  accept: (status: number, body: T | undefined) => boolean,
  timeoutMs = 10_000,
): Promise<{ status: number; body: T | undefined; elapsedMs: number }> {
  const started = Date.now();
  for (;;) {
    const res = await deliveryGet(path, headers);
    const body = res.status === 200 ? ((await res.json()) as T) : await res.body?.cancel().then(() => undefined);
    if (accept(res.status, body)) return { status: res.status, body, elapsedMs: Date.now() - started };
    if (Date.now() - started > timeoutMs)
      throw new Error(`delivery of ${path} not as expected within ${timeoutMs} ms (last status ${res.status})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * A service context whose deferred work (the KV fills and re-checks of the read path) waits until the test
 * runs it, so that a test can let an event be handled between a fill's database read and its write. The
 * bindings can be overridden (e.g. a KV namespace that lets a test step in before a write).
 */
export function heldBackFills(
  harness: Harness,
  overrides: Partial<Bindings> = {},
): { ctx: ServiceContext; runFills(): Promise<void> } {
  const base = harness.context(overrides);
  const held: Array<() => Promise<unknown>> = [];
  // The services' own getters (db, redis) keep working through the prototype.
  const services = Object.create(base.services, {
    defer: { value: (work: () => Promise<unknown>) => void held.push(work) },
  }) as Services;
  return {
    ctx: { ...base, services },
    async runFills() {
      for (const work of held.splice(0)) await work();
    },
  };
}

/**
 * The SQL of every statement sent while `work` ran (by the Worker or the test) with `value` among its
 * parameters: how a test counts the database lookups a request caused for one slug, id or token.
 */
export async function statementsWith(value: string, work: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const previous = databaseObserver.statement;
  databaseObserver.statement = (sql, params) => {
    previous?.(sql, params);
    if (params.some((param) => param === value)) seen.push(sql);
  };
  try {
    await work();
  } finally {
    databaseObserver.statement = previous;
  }
  return seen;
}

/** A cursor signed with the test Worker's key, as the API would issue it for that organization and query. */
export function signedCursor(
  organizationId: string,
  position: { publishedAt: string; id: string },
  query: { limit?: number; type?: string; platform?: string } = {},
): Promise<string> {
  const secret = loadConfig(env as Bindings).delivery.cursorSecret;
  return encodeCursor(secret, { organizationId, limit: query.limit ?? 20, ...query }, position);
}
