import { and, count, desc, eq, ilike, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { users, type User, type UserRole, type UserStatus } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';

export interface ListUsersInput {
  page: number;
  limit: number;
  role?: UserRole | undefined;
  status?: UserStatus | undefined;
  /** Case-insensitive substring of the email. */
  q?: string | undefined;
}

/** `%` and `_` in a search are literal characters, not patterns the caller can use to scan. */
export const likeContains = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

export async function listUsers({ ctx, input }: { ctx: TenantContext; input: ListUsersInput }): Promise<{ items: User[]; total: number }> {
  assertCan(ctx.actor, 'users.read');
  const filters: (SQL | undefined)[] = [
    eq(users.organizationId, ctx.organizationId),
    input.role ? eq(users.role, input.role) : undefined,
    input.status ? eq(users.status, input.status) : undefined,
    input.q ? ilike(users.email, likeContains(input.q)) : undefined,
  ];
  const where = and(...filters);
  const { db } = ctx.services;
  const [items, [totals]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(desc(users.createdAt), desc(users.id))
      .limit(input.limit)
      .offset((input.page - 1) * input.limit),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}
