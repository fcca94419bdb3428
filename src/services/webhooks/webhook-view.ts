import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/executor.ts';
import { webhooks, type Webhook } from '../../db/schema/index.ts';
import { notFound } from '../../lib/errors.ts';
import { liveSecretRows } from './secret-store.ts';

export const webhookStatuses = ['active', 'inactive', 'disabled'] as const;
export type WebhookStatus = (typeof webhookStatuses)[number];

/** active: deliveries go out; inactive: an admin turned it off; disabled: the platform did (see disabledReason). */
export function webhookStatus(webhook: Pick<Webhook, 'active' | 'disabledReason'>): WebhookStatus {
  if (webhook.active) return 'active';
  return webhook.disabledReason ? 'disabled' : 'inactive';
}

export interface SigningSecretInfo {
  id: string;
  createdAt: Date;
  /** Null for the current secret; set for one that was rotated out and still signs until then. */
  expiresAt: Date | null;
}

/** A webhook as services hand it out: the row and which secrets sign now (metadata only, never the secrets). */
export interface WebhookView {
  webhook: Webhook;
  signingSecrets: SigningSecretInfo[];
}

export async function withSigningSecrets(
  db: Executor,
  rows: Webhook[],
  now: Date = new Date(),
): Promise<WebhookView[]> {
  if (rows.length === 0) return [];
  const secrets = await liveSecretRows(
    db,
    rows.map((row) => row.id),
    now,
  );
  return rows.map((webhook) => ({
    webhook,
    signingSecrets: secrets
      .filter((s) => s.webhookId === webhook.id)
      .map(({ id, createdAt, expiresAt }) => ({ id, createdAt, expiresAt })),
  }));
}

/** The organization's webhook, locked for the transaction when asked; another tenant's id is not found. */
export async function findWebhook(
  db: Executor,
  organizationId: string,
  id: string,
  options: { lock?: boolean } = {},
): Promise<Webhook> {
  const query = db
    .select()
    .from(webhooks)
    .where(and(eq(webhooks.id, id), eq(webhooks.organizationId, organizationId)))
    .limit(1);
  const [webhook] = options.lock ? await query.for('update') : await query;
  if (!webhook) throw notFound('webhook');
  return webhook;
}

/** What the audit log keeps of a webhook: its configuration, never a secret. */
export const auditedFields = (w: Webhook) => ({
  url: w.url,
  description: w.description,
  eventTypes: w.eventTypes,
  active: w.active,
  disabledReason: w.disabledReason,
});
