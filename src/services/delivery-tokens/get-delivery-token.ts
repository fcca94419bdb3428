import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { deliveryTokens, type DeliveryToken } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';

export async function getDeliveryToken({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string };
}): Promise<DeliveryToken> {
  assertCan(ctx.actor, 'delivery_tokens.manage');
  const [token] = await ctx.services.db
    .select()
    .from(deliveryTokens)
    .where(and(eq(deliveryTokens.id, input.id), eq(deliveryTokens.organizationId, ctx.organizationId)))
    .limit(1);
  if (!token) throw notFound('delivery token');
  return token;
}
