import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { authSessions, type AuthSession } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

export type SessionSummary = Pick<
  AuthSession,
  | 'id'
  | 'createdAt'
  | 'lastSeenAt'
  | 'idleExpiresAt'
  | 'expiresAt'
  | 'amr'
  | 'acr'
  | 'authTime'
  | 'mfa'
  | 'userAgent'
  | 'ip'
  | 'issuer'
>;

/** A person's sessions: an API key acts for its creator but has none of its own to manage. */
export function assertUserActor(ctx: TenantContext): string {
  if (ctx.actor.type !== 'user') {
    throw new DomainError('forbidden', 'Only a user (a token or a session of their own) has sessions.', {
      code: 'user_principal_required',
    });
  }
  return ctx.actor.userId;
}

/** The caller's live sessions, newest first (a few at most: one per browser). */
export async function listOwnSessions({ ctx }: { ctx: TenantContext }): Promise<SessionSummary[]> {
  const userId = assertUserActor(ctx);
  return ctx.services.db
    .select({
      id: authSessions.id,
      createdAt: authSessions.createdAt,
      lastSeenAt: authSessions.lastSeenAt,
      idleExpiresAt: authSessions.idleExpiresAt,
      expiresAt: authSessions.expiresAt,
      amr: authSessions.amr,
      acr: authSessions.acr,
      authTime: authSessions.authTime,
      mfa: authSessions.mfa,
      userAgent: authSessions.userAgent,
      ip: authSessions.ip,
      issuer: authSessions.issuer,
    })
    .from(authSessions)
    .where(
      and(
        eq(authSessions.userId, userId),
        isNull(authSessions.revokedAt),
        gt(authSessions.expiresAt, sql`now()`),
        gt(authSessions.idleExpiresAt, sql`now()`),
      ),
    )
    .orderBy(desc(authSessions.createdAt))
    .limit(100);
}
