import { generateApiKeySecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import type { Database } from '../../../src/db/client.ts';
import { apiKeys, type UserRole } from '../../../src/db/schema/index.ts';
import type { ApiKeyResource } from '../../../src/routes/api-keys/api-key-schema.ts';
import { authHeaders, created, ORG_ID, postJson, uniqueName, userId, type Headers, type SeedOrg } from '../harness.ts';

export type CreatedKey = ApiKeyResource & { secret: string };

export const keyHeaders = (secret: string, extra: Headers = {}) => ({ authorization: `Bearer ${secret}`, ...extra });

export const createKeyRequest = (body: unknown, headers: Headers) => postJson('/api/v1/api-keys', body, headers);

/** Creates a key through the API as the seeded org_admin of `org` (or with `headers`). */
export async function createKey(
  body: { name?: string; role: UserRole; expiresAt?: string | null },
  options: { org?: SeedOrg; headers?: Headers } = {},
): Promise<CreatedKey> {
  const headers = options.headers ?? (await authHeaders('org_admin', options.org ?? 'demo'));
  return created('/api/v1/api-keys', { name: uniqueName('key'), ...body }, headers);
}

/** A key written straight to the table, for states the API will not create (already expired). */
export async function insertKey(
  db: Database,
  values: { role: UserRole; expiresAt?: Date | null; revokedAt?: Date | null; org?: SeedOrg },
): Promise<{ id: string; secret: string }> {
  const org = values.org ?? 'demo';
  const { secret, prefix } = generateApiKeySecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      organizationId: ORG_ID[org],
      name: uniqueName('inserted'),
      role: values.role,
      prefix,
      secretHash: await hashApiKeySecret(secret),
      createdBy: userId('org_admin', org),
      expiresAt: values.expiresAt ?? null,
      revokedAt: values.revokedAt ?? null,
    })
    .returning({ id: apiKeys.id });
  return { id: row!.id, secret };
}
