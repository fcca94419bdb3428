import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';
import { organizations } from './organizations.ts';

/** Why the platform turned an endpoint off (null when an admin did, or while it is on). */
export const webhookDisabledReasons = ['endpoint_gone', 'failing'] as const;
export type WebhookDisabledReason = (typeof webhookDisabledReasons)[number];

/**
 * Endpoints an organization's integrations listen on. Signing secrets live in webhook_secrets (encrypted),
 * each attempt in webhook_deliveries / webhook_attempts. `active` is the switch; the platform turns it off
 * on a 410 or after three days of failures and says why in disabled_reason.
 */
export const webhooks = pgTable(
  'webhooks',
  {
    id: id(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'restrict' }),
    url: text('url').notNull(),
    description: text('description'),
    /** Subscribed event types: exact (`content.published`) or wildcards (`content.*`, `*`). */
    eventTypes: text('event_types').array().notNull(),
    active: boolean('active').notNull().default(true),
    disabledReason: text('disabled_reason').$type<WebhookDisabledReason>(),
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    /** Start of the current run of failed attempts; cleared by any success. */
    failingSince: timestamp('failing_since', { withTimezone: true, mode: 'date' }),
    lastSuccessAt: timestamp('last_success_at', { withTimezone: true, mode: 'date' }),
    lastFailureAt: timestamp('last_failure_at', { withTimezone: true, mode: 'date' }),
    /** The user who created it; null when the platform did. */
    createdBy: uuid('created_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('webhooks_organization_idx').on(t.organizationId, t.createdAt.desc()),
    // Deliveries reference (webhook, organization), so a delivery can never name another tenant's endpoint.
    unique('webhooks_id_organization_key').on(t.id, t.organizationId),
    check('webhooks_url_length', sql`char_length(${t.url}) between 1 and 2048`),
    check('webhooks_description_length', sql`${t.description} is null or char_length(${t.description}) <= 500`),
    check('webhooks_event_types_count', sql`cardinality(${t.eventTypes}) between 1 and 50`),
    check(
      'webhooks_disabled_reason',
      sql`${t.disabledReason} is null or ${t.disabledReason} in ('endpoint_gone', 'failing')`,
    ),
  ],
);

export type Webhook = typeof webhooks.$inferSelect;
