import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { organizationSso } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { organizationSessions, revokeSessions } from '../sessions/revoke-sessions.ts';
import { ssoSnapshot } from './sso-rules.ts';

/**
 * Removes the organization's SSO (audited as `sso.delete`) and ends its sessions: whoever removes the
 * provider usually means "nobody signed in through it stays signed in" (a compromised IdP, a move to
 * another). Removing what is not there changes nothing and is not an error.
 */
export async function deleteSsoConfig({ ctx }: { ctx: TenantContext }): Promise<void> {
  assertCan(ctx.actor, 'sso.manage');
  await ctx.services.db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(organizationSso)
      .where(eq(organizationSso.organizationId, ctx.organizationId))
      .returning();
    if (!removed) return;
    await recordAudit(tx, ctx, {
      action: 'sso.delete',
      entityType: 'sso',
      entityId: ctx.organizationId,
      before: ssoSnapshot(removed),
      after: null,
    });
    await revokeSessions(tx, ctx, organizationSessions(ctx.organizationId), 'sso_removed');
  });
}
