import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { hashApiKeySecret } from '../../auth/api-key-secret.ts';
import { apiKeyPermissions, permissionTable } from '../../auth/permissions.ts';
import { actorOf, type Principal } from '../../auth/principal.ts';
import type { VerifiedToken } from '../../auth/access-token.ts';
import type { Authentication } from '../../auth/authentication.ts';
import type { MfaPolicy } from '../../auth/mfa.ts';
import { apiKeys, mfaVerifications, organizations, users, type User, type UserRole } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import { auditRowsFor } from '../audit/record-audit.ts';
import type { ServiceContext, TenantContext } from '../container.ts';

export interface Tenant {
  id: string;
  slug: string;
  apiRateLimitPerMinute: number | null;
  /** Which roles must have used MFA here, how recently, and whether built-in TOTP counts (docs/decisions/0036). */
  mfaPolicy: MfaPolicy;
}

/** The organization columns every resolution reads: the tenant comes with the principal, in the same statement. */
export const tenantColumns = {
  id: organizations.id,
  slug: organizations.slug,
  apiRateLimitPerMinute: organizations.apiRateLimitPerMinute,
  mfaRequiredRoles: organizations.mfaRequiredRoles,
  mfaMaxAgeSeconds: organizations.mfaMaxAgeSeconds,
  mfaBuiltInTotp: organizations.mfaBuiltInTotp,
};

export const toTenant = (row: {
  id: string;
  slug: string;
  apiRateLimitPerMinute: number | null;
  mfaRequiredRoles: UserRole[];
  mfaMaxAgeSeconds: number | null;
  mfaBuiltInTotp: boolean;
}): Tenant => ({
  id: row.id,
  slug: row.slug,
  apiRateLimitPerMinute: row.apiRateLimitPerMinute,
  mfaPolicy: {
    requiredRoles: row.mfaRequiredRoles,
    maxAgeSeconds: row.mfaMaxAgeSeconds,
    builtInTotp: row.mfaBuiltInTotp,
  },
});

export interface Authenticated {
  principal: Principal;
  /** The principal's own organization (a super_admin may then choose another). */
  home: Tenant;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LAST_SEEN_RESOLUTION_MS = 60_000;

const invalidApiKey = () =>
  new DomainError('unauthenticated', 'The API key is unknown, revoked or expired, or its creator lost access.', {
    code: 'invalid_api_key',
  });

const unknownCaller = () =>
  new DomainError('unauthenticated', 'The credentials do not belong to a known account.', {
    code: 'unknown_principal',
  });

const emailNotVerified = () =>
  new DomainError(
    'unauthenticated',
    'The identity provider does not vouch for the email address in the token (`email_verified` is not true), so it cannot identify an account.',
    { code: 'email_not_verified' },
  );

const identityConflict = () =>
  new DomainError(
    'unauthenticated',
    'This account is bound to another identity provider account; sign in with the account you first signed in with.',
    { code: 'identity_conflict' },
  );

/**
 * A user acting as themselves: the role's row of the permission table, in their own organization, and for a
 * request how they signed in (what multi-factor enforcement reads; without it, no MFA is shown: fails closed).
 */
export function userPrincipal(
  user: Pick<User, 'id' | 'email' | 'role' | 'organizationId'>,
  authentication?: Authentication,
): Principal {
  return {
    type: 'user',
    id: user.id,
    userId: user.id,
    email: user.email,
    role: user.role,
    permissions: permissionTable[user.role],
    homeOrganizationId: user.organizationId,
    ...(authentication === undefined ? {} : { authentication }),
  };
}

/** Inactive and suspended accounts are refused whatever credential they present. */
export function assertActive(user: Pick<User, 'status'>): void {
  if (user.status !== 'active') {
    throw new DomainError('forbidden', `This account is ${user.status}.`, { code: `account_${user.status}` });
  }
}

export interface UserSignIn extends VerifiedToken {
  /** Recorded with the binding's audit row. */
  client: { ip: string | null; userAgent: string | null };
  /** SHA-256 (hex) of the token: a built-in second factor verified for it is found by this. */
  credentialDigest: string;
}

/**
 * A token says who the caller is; the users table says what they may do. Role, organization and status
 * are never taken from claims. The identity provider account (iss, sub) that first signs in as a user is
 * bound to it, and from then on only that account is that user (docs/decisions/0032): a later token with
 * another subject, naming the user by id or by email, is an account takeover attempt and is refused.
 */
export async function resolveUserPrincipal({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: UserSignIn;
}): Promise<Authenticated> {
  const { issuer, sub, email } = input;
  const byBinding = sub ? and(eq(users.idpIssuer, issuer), eq(users.idpSubject, sub)) : undefined;
  const byId = sub && UUID.test(sub) ? eq(users.id, sub) : undefined;
  // Anyone can put any address in an account at some IdPs (nOAuth): only a verified one may identify a user.
  const verifiedEmail = email && input.emailVerified ? email.toLowerCase() : undefined;
  const byEmail = verifiedEmail ? eq(sql`lower(${users.email})`, verifiedEmail) : undefined;
  const matches = [byBinding, byId, byEmail].filter((condition) => condition !== undefined);
  if (matches.length === 0) throw email ? emailNotVerified() : unknownCaller();
  // One statement whatever the path: each condition is backed by a unique index, so at most three rows.
  // The second factor verified for this very token, if any, rides on the same statement (one row per token).
  const rows = await ctx.services.db
    .select({ user: users, org: tenantColumns, secondFactorAt: mfaVerifications.verifiedAt })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .leftJoin(
      mfaVerifications,
      and(
        eq(mfaVerifications.credentialDigest, input.credentialDigest),
        eq(mfaVerifications.userId, users.id),
        gt(mfaVerifications.expiresAt, sql`now()`),
      ),
    )
    .where(or(...matches))
    .limit(3);
  // The binding wins over everything; then a subject that is a user id wins over an email naming someone else.
  const bound = sub ? rows.find((r) => r.user.idpIssuer === issuer && r.user.idpSubject === sub) : undefined;
  const row =
    bound ??
    rows.find((r) => r.user.id === sub) ??
    rows.find((r) => verifiedEmail !== undefined && r.user.email.toLowerCase() === verifiedEmail);
  if (!row) throw email && !input.emailVerified ? emailNotVerified() : unknownCaller();
  const { user } = row;
  const org = toTenant(row.org);
  if (!bound && user.idpSubject !== null) {
    ctx.logger.log('warn', 'sign-in refused: the account is bound to another identity provider account', {
      event: 'identity_conflict',
      userId: user.id,
      tokenIssuer: issuer,
      tokenSubject: sub ?? null,
      boundIssuer: user.idpIssuer,
      matchedBy: user.id === sub ? 'sub' : 'email',
    });
    throw identityConflict();
  }
  assertActive(user);
  const principal = userPrincipal(user, {
    via: 'bearer',
    credentialDigest: input.credentialDigest,
    ...input.authentication,
    secondFactorAt: row.secondFactorAt ?? undefined,
  });
  // A token without a subject can sign in an unbound user by verified email, but binds nothing.
  const binding = !bound && sub ? { issuer, subject: sub } : undefined;
  if (binding) {
    const signIn: TenantContext = { ...ctx, actor: actorOf(principal), organizationId: org.id, client: input.client };
    ctx.services.defer(() => bindIdentity(signIn, user.id, binding));
  } else if (!user.lastLogin || Date.now() - user.lastLogin.getTime() > LAST_SEEN_RESOLUTION_MS) {
    // At most one write a minute per user, after the response, and idempotent under concurrency.
    ctx.services.defer(() =>
      ctx.services.db
        .update(users)
        .set({ lastLogin: sql`now()` })
        .where(
          and(
            eq(users.id, user.id),
            or(isNull(users.lastLogin), sql`${users.lastLogin} < now() - interval '1 minute'`),
          ),
        ),
    );
  }
  return { principal, home: org };
}

/**
 * The first sign-in: the binding rides on the last_login write, after the response, and its audit row is
 * written by the same statement (one round trip, as last_login alone was). `idp_subject IS NULL` makes it
 * happen once: of two first sign-ins racing, the second changes nothing and leaves no audit row (and its
 * next request meets the binding and a 401).
 */
async function bindIdentity(ctx: TenantContext, userId: string, binding: { issuer: string; subject: string }) {
  const { db } = ctx.services;
  const bind = db
    .update(users)
    .set({ lastLogin: sql`now()`, idpIssuer: binding.issuer, idpSubject: binding.subject })
    .where(and(eq(users.id, userId), isNull(users.idpSubject)))
    .returning({ id: users.id });
  const bound = sql`${sql.identifier('bound')}`;
  const audit = auditRowsFor(bound, ctx, {
    action: 'user.identity_bound',
    entityType: 'user',
    entityId: userId,
    before: { idpIssuer: null, idpSubject: null },
    after: { idpIssuer: binding.issuer, idpSubject: binding.subject },
  });
  await db.execute(sql`with ${bound} as (${bind.getSQL()}) ${audit}`);
}

export async function resolveApiKeyPrincipal({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { secret: string };
}): Promise<Authenticated> {
  const secretHash = await hashApiKeySecret(input.secret);
  // A key acts for the user who made it, so it lives only while that user is an active member of the
  // key's organization: a suspended, inactive or departed creator leaves a key that matches nothing, and
  // answers exactly as an unknown, revoked or expired one does (the holder learns nothing about the creator).
  const [row] = await ctx.services.db
    .select({ key: apiKeys, creatorRole: users.role, org: tenantColumns })
    .from(apiKeys)
    .innerJoin(organizations, eq(organizations.id, apiKeys.organizationId))
    .innerJoin(users, and(eq(users.id, apiKeys.createdBy), eq(users.organizationId, apiKeys.organizationId)))
    .where(
      and(
        eq(apiKeys.secretHash, secretHash),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
        eq(users.status, 'active'),
      ),
    )
    .limit(1);
  if (!row) throw invalidApiKey();
  const { key } = row;
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    ctx.services.defer(() =>
      ctx.services.db.update(apiKeys).set({ lastUsedAt: sql`now()` }).where(eq(apiKeys.id, key.id)),
    );
  }
  return {
    principal: {
      type: 'api_key',
      id: key.id,
      userId: key.createdBy,
      email: null,
      role: key.role,
      // Narrowed at every request, not at creation only: a creator demoted since takes the key down with them.
      permissions: apiKeyPermissions(key.role, row.creatorRole),
      homeOrganizationId: key.organizationId,
    },
    home: toTenant(row.org),
  };
}

/**
 * The organization a request acts in: the principal's own, or for a super_admin the one named by
 * X-Organization-Id. An unknown organization is 404 like any other id.
 */
export async function resolveTenant({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: Authenticated & { requested: string | undefined };
}): Promise<Tenant> {
  const { principal, home, requested } = input;
  if (requested === undefined || requested === home.id) return home;
  if (principal.role !== 'super_admin') {
    throw new DomainError('forbidden', 'Only a super_admin may act in another organization (X-Organization-Id).', {
      code: 'organization_switch_forbidden',
    });
  }
  if (!UUID.test(requested)) {
    throw new DomainError('validation', 'X-Organization-Id must be an organization id (UUID).', {
      code: 'validation_failed',
      fields: [{ path: 'header.x-organization-id', message: 'must be a UUID', code: 'invalid_format' }],
    });
  }
  const [org] = await ctx.services.db
    .select(tenantColumns)
    .from(organizations)
    .where(eq(organizations.id, requested))
    .limit(1);
  if (!org) throw new DomainError('not_found', 'organization not found', { code: 'not_found' });
  return toTenant(org);
}
