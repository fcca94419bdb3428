import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, credentialColumns, id } from './columns.ts';
import { organizations } from './organizations.ts';
import { users } from './users.ts';

/**
 * Read-only credentials for the delivery API (`/delivery/v1/{org}/…`), one organization each. Kept apart
 * from API keys: a token leaked from a website can read published content and nothing else. Only a
 * SHA-256 hash of the secret (`cosd_…`) is stored; the secret is shown once.
 */
export const deliveryTokens = pgTable(
  'delivery_tokens',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    ...credentialColumns(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('delivery_tokens_secret_hash_key').on(t.secretHash),
    index('delivery_tokens_organization_idx').on(t.organizationId, t.createdAt.desc()),
    foreignKey({
      name: 'delivery_tokens_creator_same_organization_fk',
      columns: [t.createdBy, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }),
    check('delivery_tokens_name_length', sql`char_length(${t.name}) between 1 and 100`),
  ],
);

export type DeliveryToken = typeof deliveryTokens.$inferSelect;
