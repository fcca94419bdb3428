import { z } from '@hono/zod-openapi';
import { userRoles, type ApiKey } from '../../db/schema/index.ts';
import { credentialStatus, credentialStatuses } from '../../services/credentials/credential-rules.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

export const ApiKeySchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'CI publisher' }),
    role: z
      .enum(userRoles)
      .openapi({ description: 'What the key may do: the permissions of this role, in its organization.' }),
    prefix: z.string().openapi({
      description: 'The first characters of the secret, to recognise a key without revealing it.',
      example: 'cos_Xq3bT9aZ',
    }),
    status: z.enum(credentialStatuses).openapi({
      description: 'Computed: revoked if revokedAt is set, else expired once expiresAt has passed, else active.',
    }),
    createdBy: z.uuid().openapi({ description: 'The user who created the key; content the key writes is theirs.' }),
    createdAt: dateTime('When the key was created'),
    expiresAt: dateTime('When the key stops working; null for never').nullable(),
    lastUsedAt: dateTime('Last successful authentication, to the minute').nullable(),
    revokedAt: dateTime('When the key was revoked').nullable(),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({
    description:
      'The key itself. Shown only in this response: store it now, it cannot be retrieved again. Send it as `Authorization: Bearer <secret>`.',
    example: 'cos_Xq3bT9aZ0kP4mW7rLs2vYcN8eJhG1uDf5tBiQoAx6RE',
  }),
}).openapi('CreatedApiKey');

export type ApiKeyResource = z.infer<typeof ApiKeySchema>;

/** Never the hash: it is a credential-equivalent for anyone who can reach the database by another path. */
export function toApiKeyResource(key: ApiKey, now: Date = new Date()): ApiKeyResource {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    status: credentialStatus(key, now),
    createdBy: key.createdBy,
    createdAt: key.createdAt.toISOString(),
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}
