import { and, count, desc, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { apiKeys, type ApiKey } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { apiKeyStatusCondition, type ApiKeyStatus } from './api-key-status.ts';

export interface ListApiKeysInput {
  page: number;
  limit: number;
  status?: ApiKeyStatus;
}

export async function listApiKeys({ ctx, input }: { ctx: TenantContext; input: ListApiKeysInput }): Promise<{ items: ApiKey[]; total: number }> {
  assertCan(ctx.actor, 'api_keys.manage');
  const { db } = ctx.services;
  const where = and(eq(apiKeys.organizationId, ctx.organizationId), input.status ? apiKeyStatusCondition(input.status) : undefined);
  const [items, [totals]] = await Promise.all([
    db
      .select()
      .from(apiKeys)
      .where(where)
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
      .limit(input.limit)
      .offset((input.page - 1) * input.limit),
    db.select({ total: count() }).from(apiKeys).where(where),
  ]);
  return { items, total: totals?.total ?? 0 };
}
