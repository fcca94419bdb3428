import { sql } from 'drizzle-orm';
import { check, foreignKey, index, pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, credentialColumns, id } from './columns.ts';
import { userRoleEnum } from './enums.ts';
import { organizations } from './organizations.ts';
import { users } from './users.ts';

/**
 * Machine credentials bound to one organization and one role. Only a SHA-256 hash of the secret is
 * stored; the secret itself is shown once, at creation. `prefix` (the first characters) identifies a key
 * in lists and logs without revealing it.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    ...credentialColumns(),
    role: userRoleEnum('role').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('api_keys_secret_hash_key').on(t.secretHash),
    index('api_keys_organization_idx').on(t.organizationId, t.createdAt.desc()),
    foreignKey({
      name: 'api_keys_creator_same_organization_fk',
      columns: [t.createdBy, t.organizationId],
      foreignColumns: [users.id, users.organizationId],
    }),
    check('api_keys_name_length', sql`char_length(${t.name}) between 1 and 100`),
    // A key can never carry platform-wide power.
    check('api_keys_role_not_super_admin', sql`${t.role} <> 'super_admin'`),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
