import { index, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from './columns.ts';
import { webhooks } from './webhooks.ts';

/**
 * Signing secrets of a webhook. They must stay usable for HMAC, so they are encrypted (AES-256-GCM under
 * WEBHOOK_SECRET_KEY, bound to this row's ids), not hashed. The current secret has no expiry; rotation
 * gives the previous ones 24 hours, during which every delivery carries one signature per secret.
 */
export const webhookSecrets = pgTable(
  'webhook_secrets',
  {
    /** Chosen before encryption: the ciphertext is bound to it. */
    id: uuid('id').primaryKey(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** `v1.<base64 iv ‖ ciphertext ‖ tag>` */
    ciphertext: text('ciphertext').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [index('webhook_secrets_webhook_idx').on(t.webhookId)],
);

export type WebhookSecret = typeof webhookSecrets.$inferSelect;
