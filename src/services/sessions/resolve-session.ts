import { and, eq, isNull, sql } from 'drizzle-orm';
import { cookieSecretHash, isCookieSecret } from '../../auth/session-cookie.ts';
import { authSessions, organizations, users } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import { assertActive, userPrincipal, type Authenticated } from '../identity/resolve-principal.ts';
import {
  invalidSession,
  SESSION_TOUCH_INTERVAL_MS,
  sessionExpired,
  sessionRevoked,
  type SessionInfo,
} from './session-rules.ts';

/**
 * The session cookie → the user, in one statement: the same single round trip the bearer path spends on the
 * users row, so revocation is read from PostgreSQL on every request and wins at once (docs/decisions/0035).
 * Role, status and organization come from the users table as for tokens; a session whose user has moved to
 * another organization is dead.
 */
export async function resolveSessionPrincipal({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { secret: string };
}): Promise<Authenticated & { session: SessionInfo }> {
  if (!isCookieSecret(input.secret)) throw invalidSession();
  const id = await cookieSecretHash(input.secret);
  const { db } = ctx.services;
  const [row] = await db
    .select({
      session: {
        id: authSessions.id,
        organizationId: authSessions.organizationId,
        lastSeenAt: authSessions.lastSeenAt,
        idleExpiresAt: authSessions.idleExpiresAt,
        expiresAt: authSessions.expiresAt,
        revokedAt: authSessions.revokedAt,
        amr: authSessions.amr,
        acr: authSessions.acr,
        authTime: authSessions.authTime,
        mfa: authSessions.mfa,
      },
      user: users,
      org: {
        id: organizations.id,
        slug: organizations.slug,
        apiRateLimitPerMinute: organizations.apiRateLimitPerMinute,
      },
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(authSessions.id, id))
    .limit(1);
  if (!row || row.user.organizationId !== row.session.organizationId) throw invalidSession();
  const { session, user, org } = row;
  if (session.revokedAt) throw sessionRevoked();
  const now = Date.now();
  if (session.expiresAt.getTime() <= now || session.idleExpiresAt.getTime() <= now) throw sessionExpired();
  assertActive(user);
  if (now - session.lastSeenAt.getTime() > SESSION_TOUCH_INTERVAL_MS) {
    const idleSeconds = ctx.services.config.sessions.idleTimeoutMs / 1000;
    // After the response, at most once a minute, never past the absolute expiry, never reviving a revoked one.
    ctx.services.defer(() =>
      db
        .update(authSessions)
        .set({
          lastSeenAt: sql`now()`,
          idleExpiresAt: sql`least(now() + make_interval(secs => ${idleSeconds}), ${authSessions.expiresAt})`,
        })
        .where(
          and(
            eq(authSessions.id, session.id),
            isNull(authSessions.revokedAt),
            sql`${authSessions.lastSeenAt} < now() - interval '1 minute'`,
          ),
        ),
    );
  }
  return {
    principal: userPrincipal(user),
    home: org,
    session: { id: session.id, mfa: session.mfa, amr: session.amr, acr: session.acr, authTime: session.authTime },
  };
}
