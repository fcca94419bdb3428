import { and, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhooks } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { auditedFields } from './webhook-view.ts';

/**
 * Deletes the endpoint with its secrets and delivery log; jobs still queued for it find nothing to claim.
 * The audit row keeps what it was.
 */
export async function deleteWebhook({ ctx, input }: { ctx: TenantContext; input: { id: string } }): Promise<void> {
  assertCan(ctx.actor, 'webhooks.manage');
  await ctx.services.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(webhooks)
      .where(and(eq(webhooks.id, input.id), eq(webhooks.organizationId, ctx.organizationId)))
      .returning();
    if (!deleted) throw notFound('webhook');
    await recordAudit(tx, ctx, {
      action: 'webhook.delete',
      entityType: 'webhook',
      entityId: deleted.id,
      before: auditedFields(deleted),
      after: null,
    });
  });
}
