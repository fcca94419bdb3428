import type { Transaction } from '../../db/executor.ts';
import { users, type User, type UserRole, type UserStatus } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { emailTaken, normalizeEmail, userSnapshot } from './user-rules.ts';

export interface NewUserInput {
  email: string;
  role: UserRole;
  status?: UserStatus;
  profile?: Record<string, unknown>;
}

/**
 * Inserts a user into ctx.organizationId with its `user.create` audit row, inside the caller's
 * transaction. Shared by POST /users and the initial admin of POST /organizations, so both enforce
 * the same uniqueness and leave the same trail. Authorization is the caller's job.
 */
export async function insertUser(tx: Transaction, ctx: TenantContext, input: NewUserInput): Promise<User> {
  const email = normalizeEmail(input.email);
  // ON CONFLICT DO NOTHING rather than a pre-check: the unique index decides, even under concurrency,
  // and a conflict does not abort the surrounding transaction.
  const [user] = await tx
    .insert(users)
    .values({
      email,
      organizationId: ctx.organizationId,
      role: input.role,
      status: input.status ?? 'active',
      profile: input.profile ?? {},
    })
    .onConflictDoNothing()
    .returning();
  if (!user) throw emailTaken(email);
  await recordAudit(tx, ctx, {
    action: 'user.create',
    entityType: 'user',
    entityId: user.id,
    before: null,
    after: { id: user.id, ...userSnapshot(user) },
  });
  return user;
}
