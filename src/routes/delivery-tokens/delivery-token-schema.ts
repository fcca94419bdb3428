import { z } from '@hono/zod-openapi';
import type { DeliveryToken } from '../../db/schema/index.ts';
import { credentialStatus, credentialStatuses } from '../../services/credentials/credential-rules.ts';

const dateTime = (description: string) => z.string().openapi({ format: 'date-time', description });

export const DeliveryTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string().openapi({ example: 'Marketing website' }),
    prefix: z.string().openapi({
      description: 'The first characters of the secret, to recognise a token without revealing it.',
      example: 'cosd_Xq3bT9aZ',
    }),
    status: z.enum(credentialStatuses).openapi({
      description: 'Computed: revoked if revokedAt is set, else expired once expiresAt has passed, else active.',
    }),
    createdBy: z.uuid().openapi({ description: 'The user who created the token.' }),
    createdAt: dateTime('When the token was created'),
    expiresAt: dateTime('When the token stops working; null for never').nullable(),
    lastUsedAt: dateTime('Last successful use on the delivery API').nullable(),
    revokedAt: dateTime('When the token was revoked').nullable(),
  })
  .openapi('DeliveryToken');

export const CreatedDeliveryTokenSchema = DeliveryTokenSchema.extend({
  secret: z.string().openapi({
    description:
      'The token itself. Shown only in this response: store it now, it cannot be retrieved again. It reads ' +
      'published content on the delivery API and nothing else; the management API refuses it.',
    example: 'cosd_Xq3bT9aZ0kP4mW7rLs2vYcN8eJhG1uDf5tBiQoAx6RE',
  }),
}).openapi('CreatedDeliveryToken');

export type DeliveryTokenResource = z.infer<typeof DeliveryTokenSchema>;

/** Never the hash: it is a credential-equivalent for anyone who can reach the database by another path. */
export function toDeliveryTokenResource(token: DeliveryToken, now: Date = new Date()): DeliveryTokenResource {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    status: credentialStatus(token, now),
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    revokedAt: token.revokedAt?.toISOString() ?? null,
  };
}
