import { and, eq, isNull, or, sql } from 'drizzle-orm';
import { actorOf, SYSTEM_ACTOR } from '../../auth/principal.ts';
import { cookieSecretHash, newCookieSecret } from '../../auth/session-cookie.ts';
import type { Transaction } from '../../db/executor.ts';
import { authSessions, users, type OrganizationSso, type User } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { ServiceContext, TenantContext } from '../container.ts';
import { assertActive, userPrincipal } from '../identity/resolve-principal.ts';
import { mfaFromAmr } from '../sessions/session-rules.ts';
import { emailDomain, provisionedRole, type SsoRole } from '../sso/sso-rules.ts';
import { emailTaken, userSnapshot } from '../users/user-rules.ts';
import type { IdTokenClaims } from './id-token.ts';

type Client = TenantContext['client'];

export interface SignedIn {
  sessionSecret: string;
  sessionId: string;
  user: User;
  provisioned: boolean;
}

/** Who the verified ID token is, as far as this organization's SSO may say. */
type Match = { kind: 'existing'; user: User; bind: boolean } | { kind: 'provision'; email: string; role: SsoRole };

const wrongOrganization = () =>
  new DomainError('forbidden', 'This account belongs to another organization.', { code: 'sso_wrong_organization' });

const identityConflict = () =>
  new DomainError(
    'unauthenticated',
    'This account is bound to another identity provider account; sign in with that one.',
    { code: 'identity_conflict' },
  );

const emailNotVerified = () =>
  new DomainError(
    'unauthenticated',
    'The identity provider does not vouch for an email address (`email_verified` is not true), so no account can be found or made.',
    { code: 'email_not_verified' },
  );

/**
 * Matching mirrors the bearer path (docs/decisions/0032) with one more rule: an organization's provider signs
 * in only that organization's members. (iss, sub) first; otherwise a verified email; a user bound to another
 * provider account is identity_conflict; nobody found → provisioned inside the allowed domains with the
 * mapped or default role, or refused (invitation only). An email never binds across organizations, so an
 * administrator's own provider cannot reach another organization's people.
 */
async function match(ctx: ServiceContext, sso: OrganizationSso, claims: IdTokenClaims): Promise<Match> {
  const verifiedEmail = claims.emailVerified ? claims.email : undefined;
  const byBinding = and(eq(users.idpIssuer, claims.issuer), eq(users.idpSubject, claims.subject));
  const byEmail = verifiedEmail ? eq(sql`lower(${users.email})`, verifiedEmail) : undefined;
  const rows = await ctx.services.db.select().from(users).where(or(byBinding, byEmail)).limit(2);
  const bound = rows.find((u) => u.idpIssuer === claims.issuer && u.idpSubject === claims.subject);
  const found = bound ?? rows.find((u) => verifiedEmail !== undefined && u.email.toLowerCase() === verifiedEmail);
  if (found) {
    if (found.organizationId !== sso.organizationId) {
      throw wrongOrganization();
    }
    if (!bound && found.idpSubject !== null) {
      throw identityConflict();
    }
    assertActive(found);
    return { kind: 'existing', user: found, bind: !bound };
  }
  if (!verifiedEmail) {
    throw emailNotVerified();
  }
  const domain = emailDomain(verifiedEmail);
  if (!domain || !sso.allowedDomains.includes(domain)) {
    throw new DomainError('forbidden', `No account exists for ${verifiedEmail}, and ${domain} is not provisioned.`, {
      code: 'sso_domain_not_allowed',
    });
  }
  const role = provisionedRole(sso, claims.payload);
  if (!role) {
    throw new DomainError('forbidden', `No account exists for ${verifiedEmail}; ask to be invited.`, {
      code: 'sso_invitation_required',
    });
  }
  return { kind: 'provision', email: verifiedEmail, role };
}

async function provision(tx: Transaction, ctx: TenantContext, claims: IdTokenClaims, email: string, role: SsoRole) {
  const [user] = await tx
    .insert(users)
    .values({
      email,
      organizationId: ctx.organizationId,
      role,
      profile: claims.name ? { displayName: claims.name } : {},
      idpIssuer: claims.issuer,
      idpSubject: claims.subject,
      lastLogin: sql`now()`,
    })
    .onConflictDoNothing()
    .returning();
  // Another sign-in of the same person (or an invitation) won the race: their next attempt finds the row.
  if (!user) throw emailTaken(email);
  await recordAudit(tx, ctx, {
    action: 'user.provision',
    entityType: 'user',
    entityId: user.id,
    before: null,
    after: { id: user.id, ...userSnapshot(user), idpIssuer: claims.issuer, idpSubject: claims.subject },
  });
  return user;
}

async function bindOrTouch(tx: Transaction, ctx: TenantContext, user: User, claims: IdTokenClaims, bind: boolean) {
  if (!bind) {
    await tx.update(users).set({ lastLogin: sql`now()` }).where(eq(users.id, user.id));
    return;
  }
  const [bound] = await tx
    .update(users)
    .set({ lastLogin: sql`now()`, idpIssuer: claims.issuer, idpSubject: claims.subject })
    .where(and(eq(users.id, user.id), isNull(users.idpSubject)))
    .returning({ id: users.id });
  if (!bound) {
    throw identityConflict();
  }
  await recordAudit(tx, ctx, {
    action: 'user.identity_bound',
    entityType: 'user',
    entityId: user.id,
    before: { idpIssuer: null, idpSubject: null },
    after: { idpIssuer: claims.issuer, idpSubject: claims.subject },
  });
}

/**
 * A refused sign-in is audited only once the provider has vouched for someone (a verified ID token): earlier
 * failures (state, code, token) cost an attacker nothing to repeat, and the audit log cannot be pruned.
 */
async function auditRefusal(
  ctx: ServiceContext,
  sso: OrganizationSso,
  claims: IdTokenClaims,
  err: DomainError,
  client: Client,
) {
  const tenant: TenantContext = { ...ctx, actor: SYSTEM_ACTOR, organizationId: sso.organizationId, client };
  ctx.logger.log('warn', 'sign-in refused', {
    event: 'sign_in_refused',
    code: err.code,
    organizationId: sso.organizationId,
    issuer: claims.issuer,
    subject: claims.subject,
  });
  await recordAudit(ctx.services.db, tenant, {
    action: 'auth.sign_in_refused',
    entityType: 'sso',
    entityId: sso.organizationId,
    before: null,
    after: { reason: err.code, issuer: claims.issuer, subject: claims.subject, email: claims.email ?? null },
  });
}

/**
 * Finds, binds or provisions the user and opens a session, in one transaction with its audit rows
 * (`user.provision` or `user.identity_bound` when they happen, and `auth.sign_in`).
 */
export async function signInUser(
  ctx: ServiceContext,
  sso: OrganizationSso,
  claims: IdTokenClaims,
  client: Client,
): Promise<SignedIn> {
  let found: Match;
  try {
    found = await match(ctx, sso, claims);
  } catch (err) {
    if (err instanceof DomainError) await auditRefusal(ctx, sso, claims, err, client);
    throw err;
  }
  const { sessions } = ctx.services.config;
  const sessionSecret = newCookieSecret();
  const sessionId = await cookieSecretHash(sessionSecret);
  const mfa = mfaFromAmr(claims.amr);
  const user = await ctx.services.db.transaction(async (tx) => {
    const system: TenantContext = { ...ctx, actor: SYSTEM_ACTOR, organizationId: sso.organizationId, client };
    const signedIn =
      found.kind === 'provision' ? await provision(tx, system, claims, found.email, found.role) : found.user;
    const self: TenantContext = { ...system, actor: actorOf(userPrincipal(signedIn)) };
    if (found.kind === 'existing') await bindOrTouch(tx, self, signedIn, claims, found.bind);
    await tx.insert(authSessions).values({
      id: sessionId,
      userId: signedIn.id,
      organizationId: sso.organizationId,
      issuer: claims.issuer,
      idleExpiresAt: sql`now() + make_interval(secs => ${Math.min(sessions.idleTimeoutMs, sessions.absoluteTimeoutMs) / 1000})`,
      expiresAt: sql`now() + make_interval(secs => ${sessions.absoluteTimeoutMs / 1000})`,
      amr: claims.amr,
      acr: claims.acr,
      authTime: claims.authTime,
      mfa,
      userAgent: client.userAgent,
      ip: client.ip,
    });
    await recordAudit(tx, self, {
      action: 'auth.sign_in',
      entityType: 'session',
      entityId: sessionId,
      before: null,
      after: {
        userId: signedIn.id,
        issuer: claims.issuer,
        subject: claims.subject,
        amr: claims.amr,
        acr: claims.acr,
        authTime: claims.authTime?.toISOString() ?? null,
        mfa,
        provisioned: found.kind === 'provision',
      },
    });
    return signedIn;
  });
  return { sessionSecret, sessionId, user, provisioned: found.kind === 'provision' };
}
