import { and, eq, isNull } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { webhookSecrets } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import { insertSigningSecret } from './secret-store.ts';
import { findWebhook, withSigningSecrets, type WebhookView } from './webhook-view.ts';

/** How long a rotated-out secret keeps signing, so receivers can switch without missing a delivery. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/**
 * A new current secret (returned once); the one it replaces keeps signing for 24 hours, so deliveries in
 * between carry both signatures. A secret already on its way out keeps its own expiry. Audited without
 * the secret.
 */
export async function rotateWebhookSecret({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; now?: Date };
}): Promise<WebhookView & { secret: string; previousSecretExpiresAt: Date }> {
  assertCan(ctx.actor, 'webhooks.manage');
  const now = input.now ?? new Date();
  const previousSecretExpiresAt = new Date(now.getTime() + ROTATION_OVERLAP_MS);
  return ctx.services.db.transaction(async (tx) => {
    const webhook = await findWebhook(tx, ctx.organizationId, input.id, { lock: true });
    const retired = await tx
      .update(webhookSecrets)
      .set({ expiresAt: previousSecretExpiresAt })
      .where(and(eq(webhookSecrets.webhookId, webhook.id), isNull(webhookSecrets.expiresAt)))
      .returning({ id: webhookSecrets.id });
    const secret = await insertSigningSecret(tx, ctx.services.config.webhooks.secretKey, webhook.id);
    await recordAudit(tx, ctx, {
      action: 'webhook.rotate_secret',
      entityType: 'webhook',
      entityId: webhook.id,
      before: { currentSecretIds: retired.map((s) => s.id) },
      after: { previousSecretsExpireAt: previousSecretExpiresAt },
    });
    const [view] = await withSigningSecrets(tx, [webhook], now);
    return { ...view!, secret, previousSecretExpiresAt };
  });
}
