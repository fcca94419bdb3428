import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { users } from '../../db/schema/index.ts';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';

/**
 * A credential acts for its creator, and created_by has a same-organization foreign key: a super_admin
 * acting elsewhere through X-Organization-Id is not a member, and gets a 422 that says so rather than a
 * constraint error.
 */
export async function assertCreatorIsMember(
  tx: Executor,
  input: { userId: string; organizationId: string; code: ErrorCodeOf<'rule_violation'>; message: string },
): Promise<void> {
  const [member] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, input.userId), eq(users.organizationId, input.organizationId)))
    .limit(1);
  if (member) return;
  const path = 'header.x-organization-id';
  throw new DomainError('rule_violation', input.message, {
    code: input.code,
    fields: [{ path, message: input.message, code: input.code }],
  });
}
