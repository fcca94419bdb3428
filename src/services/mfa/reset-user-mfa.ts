import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { mfaTotp, users } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { assertMayManageRole } from '../users/user-rules.ts';
import { forgetVerifications } from './own-factor.ts';

/**
 * An administrator removes a member's built-in authenticator (lost device, suspected compromise): the
 * factor, its recovery codes and every verification it made go, so the member's tokens need MFA again and
 * the member enrols anew. Another organization's user is 404; a super_admin's factor only a super_admin
 * resets. Nothing to reset writes nothing.
 */
export async function resetUserMfa({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<void> {
  assertCan(ctx.actor, 'users.manage');
  await ctx.services.db.transaction(async (tx) => {
    const [target] = await tx
      .select({ id: users.id, role: users.role })
      .from(users)
      .where(and(eq(users.id, input.id), eq(users.organizationId, ctx.organizationId)))
      .for('update');
    if (!target) throw notFound('user');
    assertMayManageRole(ctx.actor, undefined, target);
    const [removed] = await tx
      .delete(mfaTotp)
      .where(eq(mfaTotp.userId, target.id))
      .returning({ confirmedAt: mfaTotp.confirmedAt });
    const forgotten = await forgetVerifications(tx, target.id);
    if (!removed && forgotten === 0) return;
    await recordAudit(tx, ctx, {
      action: 'user.mfa_reset',
      entityType: 'user',
      entityId: target.id,
      before: {
        totp: removed ? (removed.confirmedAt ? 'confirmed' : 'pending') : null,
        verifiedCredentials: forgotten,
      },
      after: { totp: null, verifiedCredentials: 0 },
    });
  });
}
