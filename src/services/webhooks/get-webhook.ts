import { assertCan } from '../../auth/assert.ts';
import type { TenantContext } from '../container.ts';
import { findWebhook, withSigningSecrets, type WebhookView } from './webhook-view.ts';

export async function getWebhook({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<WebhookView> {
  assertCan(ctx.actor, 'webhooks.manage');
  const webhook = await findWebhook(ctx.services.db, ctx.organizationId, input.id);
  const [view] = await withSigningSecrets(ctx.services.db, [webhook]);
  return view!;
}
