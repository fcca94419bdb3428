import { beforeAll } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
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
