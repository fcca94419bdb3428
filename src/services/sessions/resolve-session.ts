import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { cookieSecretHash, isCookieSecret } from '../../auth/session-cookie.ts';
import { authSessions, mfaVerifications, organizations, users } from '../../db/schema/index.ts';
import type { ServiceContext } from '../container.ts';
import {
  assertActive,
  tenantColumns,
  toTenant,
  userPrincipal,
  type Authenticated,
} from '../identity/resolve-principal.ts';
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
 * another organization is dead. The organization's MFA policy and a built-in second factor verified for this
 * session (keyed by the session id, itself the cookie's SHA-256) ride on the same statement (docs/decisions/0036).
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
      org: tenantColumns,
      secondFactorAt: mfaVerifications.verifiedAt,
    })
    .from(authSessions)
    .innerJoin(users, eq(users.id, authSessions.userId))
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(
      mfaVerifications,
      and(
        eq(mfaVerifications.credentialDigest, authSessions.id),
        eq(mfaVerifications.userId, authSessions.userId),
        gt(mfaVerifications.expiresAt, sql`now()`),
      ),
    )
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
  const home = toTenant(org);
  return {
    principal: userPrincipal(user, {
      via: 'session',
      credentialDigest: session.id,
      expiresAt: session.expiresAt,
      amr: session.amr,
      acr: session.acr ?? undefined,
      authTime: session.authTime ?? undefined,
      secondFactorAt: row.secondFactorAt ?? undefined,
      // A refusal sends the browser back through its organization's sign-in, asking the provider for MFA.
      stepUpUrl: `/auth/${encodeURIComponent(home.slug)}/login`,
    }),
    home,
    session: { id: session.id, mfa: session.mfa, amr: session.amr, acr: session.acr, authTime: session.authTime },
  };
}
