import { eq } from 'drizzle-orm';
import { DELIVERY_TOKEN_PREFIX, generateSecret, hashApiKeySecret } from '../../../src/auth/api-key-secret.ts';
import type { Database } from '../../../src/db/client.ts';
import { deliveryTokens } from '../../../src/db/schema/index.ts';
import type { DeliveryTokenResource } from '../../../src/routes/delivery-tokens/delivery-token-schema.ts';
import { authHeaders, created, ORG_ID, postJson, uniqueName, userId, type Headers, type SeedOrg } from '../harness.ts';

export type CreatedToken = DeliveryTokenResource & { secret: string };

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export const createTokenRequest = (body: unknown, headers: Headers) =>
  postJson('/api/v1/delivery-tokens', body, headers);

/** Creates a token through the API as the seeded org_admin of `org` (or with `headers`). */
export async function createToken(
  body: { name?: string; expiresAt?: string | null } = {},
  options: { org?: SeedOrg; headers?: Headers } = {},
): Promise<CreatedToken> {
  const headers = options.headers ?? (await authHeaders('org_admin', options.org ?? 'demo'));
  return created('/api/v1/delivery-tokens', { name: uniqueName('token'), ...body }, headers);
}

/** A token written straight to the table, for states the API will not create (already expired). */
export async function insertToken(
  db: Database,
  values: { expiresAt?: Date | null; revokedAt?: Date | null; org?: SeedOrg },
): Promise<{ id: string }> {
  const org = values.org ?? 'demo';
  const { secret, prefix } = generateSecret(DELIVERY_TOKEN_PREFIX);
  const [row] = await db
    .insert(deliveryTokens)
    .values({
      organizationId: ORG_ID[org],
      name: uniqueName('inserted'),
      prefix,
      secretHash: await hashApiKeySecret(secret),
      createdBy: userId('org_admin', org),
      expiresAt: values.expiresAt ?? null,
      revokedAt: values.revokedAt ?? null,
    })
    .returning({ id: deliveryTokens.id });
  return { id: row!.id };
}

export const storedToken = async (db: Database, id: string) =>
  (await db.select().from(deliveryTokens).where(eq(deliveryTokens.id, id)))[0];

export const tokensNamed = (db: Database, name: string) =>
  db.select().from(deliveryTokens).where(eq(deliveryTokens.name, name));
