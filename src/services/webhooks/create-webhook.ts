import { count, eq } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhooks } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { insertSigningSecret } from './secret-store.ts';
import { auditedFields, withSigningSecrets, type WebhookView } from './webhook-view.ts';
import {
  assertWebhookUrlAllowed,
  MAX_WEBHOOKS_PER_ORGANIZATION,
  normalizeEventTypes,
  webhookRuleViolation,
} from './webhook-rules.ts';

export interface CreateWebhookInput {
  url: string;
  eventTypes: string[];
  description?: string | null;
  active?: boolean;
}

/** The signing secret is returned here and never again: it is stored encrypted, and neither logged nor audited. */
export async function createWebhook({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: CreateWebhookInput;
}): Promise<WebhookView & { secret: string }> {
  assertCan(ctx.actor, 'webhooks.manage');
  const eventTypes = normalizeEventTypes(input.eventTypes);
  await assertWebhookUrlAllowed(ctx, input.url);
  return ctx.services.db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ n: count() })
      .from(webhooks)
      .where(eq(webhooks.organizationId, ctx.organizationId));
    if ((existing?.n ?? 0) >= MAX_WEBHOOKS_PER_ORGANIZATION) {
      throw webhookRuleViolation(
        'webhook_limit_reached',
        `An organization can have at most ${MAX_WEBHOOKS_PER_ORGANIZATION} webhooks; delete one first.`,
        'body',
      );
    }
    const [row] = await tx
      .insert(webhooks)
      .values({
        organizationId: ctx.organizationId,
        url: input.url,
        description: input.description ?? null,
        eventTypes,
        active: input.active ?? true,
        createdBy: ctx.actor.userId,
      })
      .returning();
    if (!row) throw new Error('insert into webhooks returned no row');
    const secret = await insertSigningSecret(tx, ctx.services.config.webhooks.secretKey, row.id);
    await recordAudit(tx, ctx, {
      action: 'webhook.create',
      entityType: 'webhook',
      entityId: row.id,
      before: null,
      after: auditedFields(row),
    });
    const [view] = await withSigningSecrets(tx, [row]);
    return { ...view!, secret };
  });
}
