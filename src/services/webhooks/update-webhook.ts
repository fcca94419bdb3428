import { eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhooks, type Webhook } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { auditedFields, findWebhook, withSigningSecrets, type WebhookView } from './webhook-view.ts';
import { assertWebhookUrlAllowed, normalizeEventTypes } from './webhook-rules.ts';

export interface UpdateWebhookInput {
  id: string;
  url?: string;
  eventTypes?: string[];
  description?: string | null;
  active?: boolean;
}

/**
 * Partial update, audited with what changed; a request that changes nothing writes nothing. Turning a
 * webhook on clears what the platform recorded when it turned it off (reason, failure streak), so the
 * three-day rule starts over; turning it off is an admin's choice and carries no reason.
 */
export async function updateWebhook({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: UpdateWebhookInput;
}): Promise<WebhookView> {
  assertCan(ctx.actor, 'webhooks.manage');
  const eventTypes = input.eventTypes ? normalizeEventTypes(input.eventTypes) : undefined;
  if (input.url !== undefined) await assertWebhookUrlAllowed(ctx, input.url);
  return ctx.services.db.transaction(async (tx) => {
    const before = await findWebhook(tx, ctx.organizationId, input.id, { lock: true });
    const set: Partial<Webhook> = {};
    if (input.url !== undefined && input.url !== before.url) set.url = input.url;
    if (eventTypes && eventTypes.join('\n') !== before.eventTypes.join('\n')) set.eventTypes = eventTypes;
    if (input.description !== undefined && input.description !== before.description)
      set.description = input.description;
    if (input.active === true && !before.active)
      Object.assign(set, { active: true, disabledReason: null, disabledAt: null, failingSince: null });
    if (input.active === false && before.active)
      Object.assign(set, { active: false, disabledReason: null, disabledAt: new Date() });
    let after = before;
    if (Object.keys(set).length > 0) {
      const [row] = await tx.update(webhooks).set(set).where(eq(webhooks.id, before.id)).returning();
      after = row!;
      await recordAudit(tx, ctx, {
        action: 'webhook.update',
        entityType: 'webhook',
        entityId: before.id,
        before: auditedFields(before),
        after: auditedFields(after),
      });
    }
    const [view] = await withSigningSecrets(tx, [after]);
    return view!;
  });
}
