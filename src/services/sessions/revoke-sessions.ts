import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { authSessions, type SessionRevokedReason } from '../../db/schema/index.ts';
import { auditRowsFor } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';

/**
 * Ends every live session matching `where`, each with its audit row (`auth.session_revoke`, or
 * `auth.sign_out`; in the session's organization), in one statement; returns how many ended. Shared by sign-out, `DELETE /api/v1/me/sessions/{id}`,
 * a change of role or status, and removing an organization's SSO.
 */
export async function revokeSessions(
  db: Executor,
  ctx: TenantContext,
  where: SQL | undefined,
  reason: SessionRevokedReason,
  action: 'auth.session_revoke' | 'auth.sign_out' = 'auth.session_revoke',
): Promise<number> {
  const update = db
    .update(authSessions)
    .set({ revokedAt: sql`now()`, revokedReason: reason })
    .where(and(where, isNull(authSessions.revokedAt)))
    .returning({ id: authSessions.id, userId: authSessions.userId, organizationId: authSessions.organizationId });
  const revoked = sql.identifier('revoked');
  const column = (name: string) => sql`${revoked}.${sql.identifier(name)}`;
  const audit = auditRowsFor(
    sql`${revoked}`,
    ctx,
    { action, entityType: 'session', entityId: '', before: null, after: null },
    {
      organizationId: column('organization_id'),
      entityId: column('id'),
      changes: sql`jsonb_build_object('before', '{}'::jsonb, 'after', jsonb_build_object('revokedReason', ${reason}::text, 'userId', ${column('user_id')}))`,
    },
  );
  const result = await db.execute(sql`with ${revoked} as (${update.getSQL()}) ${audit}`);
  return result.rowCount ?? 0;
}

/** All of a user's sessions (an administrator changed their role or status). */
export const userSessions = (userId: string) => eq(authSessions.userId, userId);

/** All sessions of an organization (its SSO was removed or turned off). */
export const organizationSessions = (organizationId: string) => eq(authSessions.organizationId, organizationId);

/** One session, only if it is the user's own: another user's id matches nothing (404). */
export const ownSession = (userId: string, sessionId: string) =>
  and(eq(authSessions.userId, userId), eq(authSessions.id, sessionId));
