import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { generateApiKeySecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import { openDatabase, type Database } from '../../../src/db/client.ts';
import { apiKeys, type UserRole } from '../../../src/db/schema/index.ts';
import { loadConfig } from '../../../src/config.ts';
import type { ApiKeyResource } from '../../../src/routes/api-keys/api-key-schema.ts';
import { authHeaders, jsonHeaders, ORG_ID, userId, type SeedOrg } from '../auth.ts';
import { call } from '../helpers.ts';

export type CreatedKey = ApiKeyResource & { secret: string };

/** A direct database handle for assertions on stored state; closed after `work`. */
export async function withDb<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const handle = openDatabase(loadConfig(env), () => {});
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

export const keyHeaders = (secret: string, extra: Record<string, string> = {}) => ({
  authorization: `Bearer ${secret}`,
  ...extra,
});

export const uniqueName = (label = 'key') => `${label} ${crypto.randomUUID()}`;

export function createKeyRequest(body: unknown, headers: Record<string, string>): Promise<Response> {
  return call('/api/v1/api-keys', { method: 'POST', headers: jsonHeaders(headers), body: JSON.stringify(body) });
}

/** Creates a key through the API as the seeded org_admin of `org` (or with `headers`). */
export async function createKey(
  body: { name?: string; role: UserRole; expiresAt?: string | null },
  options: { org?: SeedOrg; headers?: Record<string, string> } = {},
): Promise<CreatedKey> {
  const headers = options.headers ?? (await authHeaders('org_admin', options.org ?? 'demo'));
  const res = await createKeyRequest({ name: uniqueName(), ...body }, headers);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as CreatedKey;
}

/** A key written straight to the table, for states the API will not create (already expired). */
export async function insertKey(values: {
  role: UserRole;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
  org?: SeedOrg;
}): Promise<{ id: string; secret: string }> {
  const org = values.org ?? 'demo';
  const { secret, prefix } = generateApiKeySecret();
  const secretHash = await hashApiKeySecret(secret);
  const [row] = await withDb((db) =>
    db
      .insert(apiKeys)
      .values({
        organizationId: ORG_ID[org],
        name: uniqueName('inserted'),
        role: values.role,
        prefix,
        secretHash,
        createdBy: userId('org_admin', org),
        expiresAt: values.expiresAt ?? null,
        revokedAt: values.revokedAt ?? null,
      })
      .returning({ id: apiKeys.id }),
  );
  return { id: row!.id, secret };
}

export interface KeyPage {
  data: ApiKeyResource[];
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}

/** Every key the caller can list (other test files add keys concurrently, so never assume positions). */
export async function listAllKeys(headers: Record<string, string>, query = ''): Promise<ApiKeyResource[]> {
  const all: ApiKeyResource[] = [];
  for (let page = 1; ; page++) {
    const res = await call(`/api/v1/api-keys?limit=100&page=${page}${query}`, { headers });
    expect(res.status).toBe(200);
    const body = (await res.json()) as KeyPage;
    all.push(...body.data);
    if (body.data.length < body.limit) return all;
  }
}
