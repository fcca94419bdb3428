import { eq } from 'drizzle-orm';
import { assertMultiFactor } from '../../auth/mfa.ts';
import type { Principal } from '../../auth/principal.ts';
import { mfaTotp } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { callingUserId, forgetVerifications, loadOwnFactor } from './own-factor.ts';

/**
 * Removes the caller's authenticator (confirmed or pending) and forgets what it verified. Removing a factor
 * needs multi-factor authentication whatever the role, so a stolen token without MFA cannot take the
 * owner's factor away; a user who lost the device asks an administrator to reset it instead.
 */
export async function removeTotp({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { principal: Principal };
}): Promise<void> {
  const userId = callingUserId(ctx);
  const own = await loadOwnFactor(ctx.services.db, userId);
  if (!own.totp) return;
  if (own.totp.confirmedAt) {
    assertMultiFactor(
      input.principal,
      { maxAgeSeconds: own.maxAgeSeconds, builtInTotp: true, recognition: ctx.services.config.mfa.recognition },
      new Date(),
      'Removing an authenticator needs multi-factor authentication',
    );
  }
  await ctx.services.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(mfaTotp)
      .where(eq(mfaTotp.userId, userId))
      .returning({ confirmedAt: mfaTotp.confirmedAt });
    if (!removed) return;
    await forgetVerifications(tx, userId);
    await recordAudit(tx, ctx, {
      action: 'user.mfa_removed',
      entityType: 'user',
      entityId: userId,
      before: { totp: removed.confirmedAt ? 'confirmed' : 'pending' },
      after: { totp: null },
    });
  });
}
