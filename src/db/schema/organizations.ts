import { sql } from 'drizzle-orm';
import { boolean, check, integer, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './columns.ts';

export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    name: text('name').notNull(),
    /** URL-safe handle used by the delivery API (`/delivery/v1/{slug}/...`). */
    slug: text('slug').notNull(),
    /** Requests per minute across the management API; null means the platform default (API_RATE_LIMIT_PER_MINUTE). */
    apiRateLimitPerMinute: integer('api_rate_limit_per_minute'),
    /** Approval requires quality_score ≥ this (0–10). */
    approvalThreshold: numeric('approval_threshold', { precision: 4, scale: 2, mode: 'number' }).notNull().default(7),
    /** Phrases that flag content for compliance automatically, matched case-insensitively. */
    prohibitedPhrases: text('prohibited_phrases').array().notNull().default(sql`'{}'::text[]`),
    /** Text that market_update and news_analysis content must contain; null when none is required. */
    requiredDisclaimer: text('required_disclaimer'),
    /** Whether the delivery API serves published content without a delivery token. Off by default. */
    deliveryPublic: boolean('delivery_public').notNull().default(false),
    /** Delivery API requests per client address per minute; null means DELIVERY_RATE_LIMIT_PER_IP_PER_MINUTE. */
    deliveryRateLimitPerIpPerMinute: integer('delivery_rate_limit_per_ip_per_minute'),
    /** Delivery API requests per delivery token per minute; null means DELIVERY_RATE_LIMIT_PER_TOKEN_PER_MINUTE. */
    deliveryRateLimitPerTokenPerMinute: integer('delivery_rate_limit_per_token_per_minute'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('organizations_slug_key').on(t.slug),
    check('organizations_slug_format', sql`${t.slug} ~ '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$'`),
    check('organizations_name_length', sql`char_length(${t.name}) between 1 and 200`),
    check('organizations_approval_threshold_range', sql`${t.approvalThreshold} between 0 and 10`),
    check(
      'organizations_rate_limit_positive',
      sql`${t.apiRateLimitPerMinute} is null or ${t.apiRateLimitPerMinute} between 1 and 1000000`,
    ),
    // The bounds of the delivery settings API (docs/decisions/0029), kept here too so no write path can exceed them.
    check(
      'organizations_delivery_ip_rate_limit_range',
      sql`${t.deliveryRateLimitPerIpPerMinute} is null or ${t.deliveryRateLimitPerIpPerMinute} between 1 and 60000`,
    ),
    check(
      'organizations_delivery_token_rate_limit_range',
      sql`${t.deliveryRateLimitPerTokenPerMinute} is null or ${t.deliveryRateLimitPerTokenPerMinute} between 1 and 600000`,
    ),
  ],
);

export type Organization = typeof organizations.$inferSelect;
export type NewOrganization = typeof organizations.$inferInsert;
