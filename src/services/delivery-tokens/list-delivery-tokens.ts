import { and, desc, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { deliveryTokens, type DeliveryToken } from '../../db/schema/index.ts';
import { selectPage, type Page, type PageRequest } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';
import { credentialStatusCondition, type CredentialStatus } from '../credentials/credential-rules.ts';

export interface ListDeliveryTokensInput extends PageRequest {
  status?: CredentialStatus;
}

export async function listDeliveryTokens({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListDeliveryTokensInput;
}): Promise<Page<DeliveryToken>> {
  assertCan(ctx.actor, 'delivery_tokens.manage');
  const where = and(
    eq(deliveryTokens.organizationId, ctx.organizationId),
    input.status ? credentialStatusCondition(deliveryTokens, input.status) : undefined,
  );
  return selectPage(
    ctx.services.db,
    deliveryTokens,
    where,
    [desc(deliveryTokens.createdAt), desc(deliveryTokens.id)],
    input,
  );
}
