import { lt, or, sql } from 'drizzle-orm';
import { authSessions, loginTransactions } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';

/**
 * Ended sessions are kept a week (the audit log keeps their story for good), so "signed out from where?"
 * can still be answered; sign-ins never completed go once expired. Both tables stay small.
 */
export async function purgeSignInState({
  ctx,
}: {
  ctx: ServiceContext;
}): Promise<{ sessions: number; logins: number }> {
  const { db } = ctx.services;
  const logins = await db.delete(loginTransactions).where(lt(loginTransactions.expiresAt, sql`now()`));
  const sessions = await db
    .delete(authSessions)
    .where(
      or(
        lt(authSessions.expiresAt, sql`now() - interval '7 days'`),
        lt(authSessions.idleExpiresAt, sql`now() - interval '7 days'`),
        lt(authSessions.revokedAt, sql`now() - interval '7 days'`),
      ),
    );
  return { sessions: sessions.rowCount ?? 0, logins: logins.rowCount ?? 0 };
}
