import { assertCan } from '../../auth/assert.ts';
import type { User } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { insertUser, type NewUserInput } from './insert-user.ts';
import { assertMayManageRole, assertProfileBounds } from './user-rules.ts';

/** A new user in the organization the request acts in (a super_admin picks it with X-Organization-Id). */
export async function createUser({ ctx, input }: { ctx: TenantContext; input: NewUserInput }): Promise<User> {
  assertCan(ctx.actor, 'users.manage');
  assertMayManageRole(ctx.actor, input.role);
  assertProfileBounds(input.profile);
  return ctx.services.db.transaction((tx) => insertUser(tx, ctx, input));
}
