import { and, desc, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { apiKeys, type ApiKey } from '../../db/schema/index.ts';
import { selectPage } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';
import { credentialStatusCondition, type CredentialStatus } from '../credentials/credential-rules.ts';

export interface ListApiKeysInput {
  page: number;
  limit: number;
  status?: CredentialStatus;
}

export async function listApiKeys({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListApiKeysInput;
}): Promise<{ items: ApiKey[]; total: number }> {
  assertCan(ctx.actor, 'api_keys.manage');
  const { db } = ctx.services;
  const where = and(
    eq(apiKeys.organizationId, ctx.organizationId),
    input.status ? credentialStatusCondition(apiKeys, input.status) : undefined,
  );
  return selectPage(db, apiKeys, where, [desc(apiKeys.createdAt), desc(apiKeys.id)], input);
}
