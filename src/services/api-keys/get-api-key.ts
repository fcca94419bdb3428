import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { apiKeys, type ApiKey } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

export async function getApiKey({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<ApiKey> {
  assertCan(ctx.actor, 'api_keys.manage');
  const [key] = await ctx.services.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, input.id), eq(apiKeys.organizationId, ctx.organizationId)))
    .limit(1);
  if (!key) throw notFound('api key');
  return key;
}
