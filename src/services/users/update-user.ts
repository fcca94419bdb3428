import { and, asc, eq, or } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import type { Transaction } from '../../db/executor.ts';
import { users, type User, type UserRole, type UserStatus } from '../../db/schema/index.ts';
import { DomainError, notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { revokeSessions, userSessions } from '../sessions/revoke-sessions.ts';
import type { TenantContext } from '../container.ts';
import { assertMayManageRole, assertProfileBounds, userSnapshot } from './user-rules.ts';

export interface UserChanges {
  role?: UserRole | undefined;
  status?: UserStatus | undefined;
  /** Replaces the whole profile. */
  profile?: Record<string, unknown> | undefined;
}

const isActiveAdmin = (u: Pick<User, 'role' | 'status'>) => u.role === 'org_admin' && u.status === 'active';

/**
 * Locks the target and every active org_admin of the organization in one statement, in id order, so
 * two admins demoting each other at once queue behind each other (the second sees the first's commit)
 * instead of both passing the last-admin check or deadlocking.
 */
async function lockTargetAndAdmins(tx: Transaction, ctx: TenantContext, id: string) {
  const rows = await tx
    .select()
    .from(users)
    .where(
      and(
        eq(users.organizationId, ctx.organizationId),
        or(eq(users.id, id), and(eq(users.role, 'org_admin'), eq(users.status, 'active'))),
      ),
    )
    .orderBy(asc(users.id))
    .for('update');
  const target = rows.find((u) => u.id === id);
  if (!target) throw notFound('user');
  return { target, otherActiveAdmins: rows.filter((u) => u.id !== id && isActiveAdmin(u)).length };
}

function assertNotSelf(ctx: TenantContext, target: User, changes: UserChanges): void {
  const changesAccess =
    (changes.role !== undefined && changes.role !== target.role) ||
    (changes.status !== undefined && changes.status !== target.status);
  // An API key acts for the user who created it, so it cannot change that user's access either.
  if (changesAccess && ctx.actor.userId === target.id) {
    throw new DomainError('rule_violation', 'You cannot change your own role or status; ask another administrator.', {
      code: 'cannot_modify_self',
    });
  }
}

export async function updateUser({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; changes: UserChanges };
}): Promise<User> {
  assertCan(ctx.actor, 'users.manage');
  const { changes } = input;
  assertMayManageRole(ctx.actor, changes.role);
  assertProfileBounds(changes.profile);
  return ctx.services.db.transaction(async (tx) => {
    const { target, otherActiveAdmins } = await lockTargetAndAdmins(tx, ctx, input.id);
    assertMayManageRole(ctx.actor, changes.role, target);
    assertNotSelf(ctx, target, changes);
    const next = { role: changes.role ?? target.role, status: changes.status ?? target.status };
    if (isActiveAdmin(target) && !isActiveAdmin(next) && otherActiveAdmins === 0) {
      throw new DomainError(
        'rule_violation',
        'This is the last active org_admin of the organization; promote or activate another one first.',
        {
          code: 'last_org_admin',
        },
      );
    }
    const [updated] = await tx
      .update(users)
      .set({ ...next, ...(changes.profile !== undefined ? { profile: changes.profile } : {}) })
      .where(and(eq(users.id, target.id), eq(users.organizationId, ctx.organizationId)))
      .returning();
    if (!updated) throw notFound('user');
    // A session carries no role of its own (each request reads the users row), but whoever changes what a
    // person may do expects them to start again: every browser of theirs signs in anew (docs/decisions/0035).
    if (updated.role !== target.role || updated.status !== target.status) {
      const reason = updated.status !== target.status ? 'status_changed' : 'role_changed';
      await revokeSessions(tx, ctx, userSessions(target.id), reason);
    }
    // Every PATCH leaves a row, even one that changed nothing: the attempt itself is part of the trail.
    await recordAudit(tx, ctx, {
      action: 'user.update',
      entityType: 'user',
      entityId: target.id,
      before: userSnapshot(target),
      after: userSnapshot(updated),
    });
    return updated;
  });
}
