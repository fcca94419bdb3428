import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import { hashApiKeySecret } from '../../auth/api-key-secret.ts';
import { apiKeyPermissions, permissionTable } from '../../auth/permissions.ts';
import type { Principal } from '../../auth/principal.ts';
import type { TokenIdentity } from '../../auth/access-token.ts';
import { apiKeys, organizations, users } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { ServiceContext } from '../container.ts';

export interface Tenant {
  id: string;
  slug: string;
  apiRateLimitPerMinute: number | null;
}

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

/**
 * A token says who the caller is; the users table says what they may do. Role, organization and status
 * are never taken from claims.
 */
export async function resolveUserPrincipal({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: TokenIdentity;
}): Promise<Authenticated> {
  const byId = input.sub && UUID.test(input.sub) ? eq(users.id, input.sub) : undefined;
  // Anyone can put any address in an account at some IdPs: only a verified one may identify a user.
  const byEmail =
    input.email && input.emailVerified ? eq(sql`lower(${users.email})`, input.email.toLowerCase()) : undefined;
  const match = byId && byEmail ? or(byId, byEmail) : (byId ?? byEmail);
  if (!match) throw unknownCaller();
  const rows = await ctx.services.db
    .select({
      user: users,
      org: {
        id: organizations.id,
        slug: organizations.slug,
        apiRateLimitPerMinute: organizations.apiRateLimitPerMinute,
      },
    })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(match)
    .limit(2);
  // A subject that is a user id wins over an email that names someone else.
  const row = rows.find((r) => r.user.id === input.sub) ?? rows[0];
  if (!row) throw unknownCaller();
  const { user, org } = row;
  if (user.status !== 'active') {
    throw new DomainError('forbidden', `This account is ${user.status}.`, { code: `account_${user.status}` });
  }
  if (!user.lastLogin || Date.now() - user.lastLogin.getTime() > LAST_SEEN_RESOLUTION_MS) {
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
  return {
    principal: {
      type: 'user',
      id: user.id,
      userId: user.id,
      email: user.email,
      role: user.role,
      permissions: permissionTable[user.role],
      homeOrganizationId: user.organizationId,
    },
    home: org,
  };
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
    .select({
      key: apiKeys,
      creatorRole: users.role,
      org: {
        id: organizations.id,
        slug: organizations.slug,
        apiRateLimitPerMinute: organizations.apiRateLimitPerMinute,
      },
    })
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
  const { key, org } = row;
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
    home: org,
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
    .select({
      id: organizations.id,
      slug: organizations.slug,
      apiRateLimitPerMinute: organizations.apiRateLimitPerMinute,
    })
    .from(organizations)
    .where(eq(organizations.id, requested))
    .limit(1);
  if (!org) throw new DomainError('not_found', 'organization not found', { code: 'not_found' });
  return org;
}
