import { desc, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhooks } from '../../db/schema/index.ts';
import { selectPage, type Page, type PageRequest } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';
import { withSigningSecrets, type WebhookView } from './webhook-view.ts';

export async function listWebhooks({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: PageRequest;
}): Promise<Page<WebhookView>> {
  assertCan(ctx.actor, 'webhooks.manage');
  const { db } = ctx.services;
  const page = await selectPage(
    db,
    webhooks,
    eq(webhooks.organizationId, ctx.organizationId),
    [desc(webhooks.createdAt), desc(webhooks.id)],
    input,
  );
  return { items: await withSigningSecrets(db, page.items), total: page.total };
}
