import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp, unique, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { userRoleEnum, userStatusEnum } from './enums.ts';
import { organizations } from './organizations.ts';

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    role: userRoleEnum('role').notNull().default('viewer'),
    profile: jsonb('profile').$type<Record<string, unknown>>().notNull().default({}),
    status: userStatusEnum('status').notNull().default('active'),
    lastLogin: timestamp('last_login', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Identity is resolved by email from tokens, case-insensitively; one account per address.
    uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
    // Lets content reference (creator, organization) so a creator can never belong to another tenant.
    unique('users_id_organization_key').on(t.id, t.organizationId),
    index('users_organization_idx').on(t.organizationId),
    check('users_email_format', sql`${t.email} ~* '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$' and char_length(${t.email}) <= 320`),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
