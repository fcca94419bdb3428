import { and, desc, eq, ilike, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { users, type User, type UserRole, type UserStatus } from '../../db/schema/index.ts';
import { likeContains, selectPage } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';

export interface ListUsersInput {
  page: number;
  limit: number;
  role?: UserRole | undefined;
  status?: UserStatus | undefined;
  /** Case-insensitive substring of the email. */
  q?: string | undefined;
}

export async function listUsers({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListUsersInput;
}): Promise<{ items: User[]; total: number }> {
  assertCan(ctx.actor, 'users.read');
  const filters: (SQL | undefined)[] = [
    eq(users.organizationId, ctx.organizationId),
    input.role ? eq(users.role, input.role) : undefined,
    input.status ? eq(users.status, input.status) : undefined,
    input.q ? ilike(users.email, likeContains(input.q)) : undefined,
  ];
  const where = and(...filters);
  const { db } = ctx.services;
  return selectPage(db, users, where, [desc(users.createdAt), desc(users.id)], input);
}
