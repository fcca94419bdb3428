import { eq } from 'drizzle-orm';
import { beforeAll } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { organizations, type Content, type NewContent } from '../../../src/db/schema/index.ts';
import { call } from '../helpers.ts';
import { act, privateItem, usePrivateOrganization, type PrivateOrganization } from '../workflow/fixtures.ts';

export { useDatabase } from '../content/fixtures.ts';

/** A private organization (its lists and epoch are this file's alone) with a delivery token. */
export interface DeliveryOrganization extends PrivateOrganization {
  slug: string;
  token: string;
}

export async function createDeliveryToken(
  adminHeaders: Record<string, string>,
): Promise<{ id: string; secret: string }> {
  const res = await call('/api/v1/delivery-tokens', {
    method: 'POST',
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `delivery test ${crypto.randomUUID().slice(0, 8)}` }),
  });
  if (res.status !== 201) throw new Error(`delivery token: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; secret: string };
}

export function useDeliveryOrganization(db: Database): DeliveryOrganization {
  const org = usePrivateOrganization(db) as DeliveryOrganization;
  beforeAll(async () => {
    const [row] = await db.select({ slug: organizations.slug }).from(organizations).where(eq(organizations.id, org.id));
    org.slug = row!.slug;
    org.token = (await createDeliveryToken(org.users.org_admin.headers)).secret;
  });
  return org;
}

export const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });

/** GET on the delivery API with the organization's token (or the headers given). */
export function deliveryGet(path: string, headers: Record<string, string> = {}): Promise<Response> {
  return call(`/delivery/v1/${path}`, { headers });
}

/** An item taken through the real publish action (so the outbox event and the queue consumer run). */
export async function publishedItem(
  db: Database,
  org: PrivateOrganization,
  values: Partial<NewContent> = {},
): Promise<Content> {
  const item = await privateItem(db, org, { status: 'approved', ...values });
  const res = await act(item.id, 'publish', org.users.editor.headers, undefined, { 'if-match': `"${item.version}"` });
  if (res.status !== 200) throw new Error(`publish: ${res.status} ${await res.text()}`);
  return (await res.json()) as Content;
}

/** Polls the delivery API until `accept` holds for the JSON body (the queue consumer is asynchronous). */
export async function untilDelivered<T>(
  path: string,
  headers: Record<string, string>,
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
