import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { users, type User } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

/** One user of the organization; another organization's user is not found, exactly like an unknown id. */
export async function getUser({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<User> {
  assertCan(ctx.actor, 'users.read');
  const [user] = await ctx.services.db
    .select()
    .from(users)
    .where(and(eq(users.id, input.id), eq(users.organizationId, ctx.organizationId)))
    .limit(1);
  if (!user) throw notFound('user');
  return user;
}
