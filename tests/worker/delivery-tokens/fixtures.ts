import { env } from 'cloudflare:test';
import { and, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { DELIVERY_TOKEN_PREFIX, generateSecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { openDatabase, type Database } from '../../../src/db/client.ts';
import { auditLog, deliveryTokens } from '../../../src/db/schema/index.ts';
import { loadConfig } from '../../../src/config.ts';
import type { DeliveryTokenResource } from '../../../src/routes/delivery-tokens/delivery-token-schema.ts';
import { authHeaders, jsonHeaders, ORG_ID, userId, type SeedOrg } from '../auth.ts';
import { call } from '../helpers.ts';

export type CreatedToken = DeliveryTokenResource & { secret: string };

export interface TokenPage {
  data: DeliveryTokenResource[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/** A direct database handle for assertions on stored state; closed after `work`. */
export async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDatabase(loadConfig(env), () => {});
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export const uniqueName = (label = 'token') => `${label} ${crypto.randomUUID()}`;

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function createTokenRequest(body: unknown, headers: Record<string, string>): Promise<Response> {
  return call('/api/v1/delivery-tokens', { method: 'POST', headers: jsonHeaders(headers), body: JSON.stringify(body) });
}

/** Creates a token through the API as the seeded org_admin of `org` (or with `headers`). */
export async function createToken(
  body: { name?: string; expiresAt?: string | null } = {},
  options: { org?: SeedOrg; headers?: Record<string, string> } = {},
): Promise<CreatedToken> {
  const headers = options.headers ?? (await authHeaders('org_admin', options.org ?? 'demo'));
  const res = await createTokenRequest({ name: uniqueName(), ...body }, headers);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CreatedToken;
}

/** A token written straight to the table, for states the API will not create (already expired). */
export async function insertToken(values: {
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  org?: SeedOrg;
}): Promise<{ id: string }> {
  const org = values.org ?? 'demo';
  const { secret, prefix } = generateSecret(DELIVERY_TOKEN_PREFIX);
  const secretHash = await hashApiKeySecret(secret);
  const [row] = await withDb((db) =>
    db
      .insert(deliveryTokens)
      .values({
        organizationId: ORG_ID[org],
        name: uniqueName('inserted'),
        prefix,
        secretHash,
        createdBy: userId('org_admin', org),
        expiresAt: values.expiresAt ?? null,
        revokedAt: values.revokedAt ?? null,
      })
      .returning({ id: deliveryTokens.id }),
  );
  return { id: row!.id };
}

export const storedToken = async (id: string) =>
  (await withDb((db) => db.select().from(deliveryTokens).where(eq(deliveryTokens.id, id))))[0];

export const tokensNamed = (name: string) =>
  withDb((db) => db.select().from(deliveryTokens).where(eq(deliveryTokens.name, name)));

export const auditOf = (id: string, action: string) =>
  withDb((db) =>
    db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'delivery_token'), eq(auditLog.entityId, id), eq(auditLog.action, action))),
  );

/** Every token the caller can list (other test files add tokens concurrently, so never assume positions). */
export async function listAllTokens(headers: Record<string, string>, query = ''): Promise<DeliveryTokenResource[]> {
  const all: DeliveryTokenResource[] = [];
  for (let page = 1; ; page++) {
    const res = await call(`/api/v1/delivery-tokens?limit=100&page=${page}${query}`, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as TokenPage;
    all.push(...body.data);
    if (body.data.length < body.limit) return all;
  }
}
