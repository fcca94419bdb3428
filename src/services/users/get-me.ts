import { and, eq } from 'drizzle-orm';
import type { Action } from '../../auth/permissions.ts';
import { apiKeys, organizations, users, type User, type UserRole } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

export interface Me {
  principalType: 'user' | 'api_key';
  role: UserRole;
  user: User | null;
  apiKey: { id: string; name: string; prefix: string } | null;
  organization: { id: string; name: string; slug: string };
  permissions: readonly Action[];
}

/** The caller as the server sees it: identity from the database, the organization acted in, the permissions that follow. */
export async function getMe({ ctx }: { ctx: TenantContext }): Promise<Me> {
  const { db } = ctx.services;
  const { actor } = ctx;
  if (actor.type === 'system') throw notFound('principal');
  const [org] = await db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId));
  if (!org) throw notFound('organization');
  if (actor.type === 'api_key') {
    const [key] = await db
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix })
      .from(apiKeys)
      .where(and(eq(apiKeys.id, actor.id)));
    if (!key) throw notFound('api key');
    return {
      principalType: 'api_key',
      role: actor.role,
      user: null,
      apiKey: key,
      organization: org,
      permissions: actor.permissions,
    };
  }
  const [user] = await db.select().from(users).where(eq(users.id, actor.id));
  if (!user) throw notFound('user');
  return {
    principalType: 'user',
    role: actor.role,
    user,
    apiKey: null,
    organization: org,
    permissions: actor.permissions,
  };
}
