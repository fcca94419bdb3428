import { z } from 'zod';
import { publishedItemSchema, publishedSummarySchema } from './published-content.ts';

/**
 * An item as KV holds it; `item: null` says there is nothing to serve: a tombstone written when an item
 * stops being live, or a remembered absence (an unknown id) filled for the negative TTL.
 */
export const itemEntrySchema = z.object({ item: publishedItemSchema.nullable(), storedAt: z.string() });
export type ItemEntry = z.infer<typeof itemEntrySchema>;

export const listBodySchema = z.object({ data: z.array(publishedSummarySchema), nextCursor: z.string().nullable() });
export type ListBody = z.infer<typeof listBodySchema>;

/** A list page as KV holds it, with the strong ETag of exactly these bytes. */
export const listEntrySchema = z.object({ body: listBodySchema, etag: z.string(), storedAt: z.string() });
export type ListEntry = z.infer<typeof listEntrySchema>;

/**
 * A slug or token the database does not know, remembered for the negative TTL so that asking again costs
 * a KV read, not a query. Older readers fail to parse it and treat it as a miss.
 */
export const absentEntrySchema = z.object({ absent: z.literal(true), storedAt: z.string() });
export const absentEntry = () => ({ absent: true as const, storedAt: new Date().toISOString() });

export const epochEntrySchema = z.object({ epoch: z.string(), changedAt: z.string() });

/** Where a delivery answer came from. */
export type DeliverySource = 'kv' | 'database';

/**
 * Filled entries expire within the hour; entries written by the event consumer are authoritative and live
 * for DELIVERY_ENTRY_TTL_SECONDS (config), re-checked against Postgres when read old (ADR 0034).
 */
export const FILL_TTL_SECONDS = 60 * 60;
/** Old list pages are never read again once the epoch moves; they only need to expire. */
export const LIST_TTL_SECONDS = 24 * 60 * 60;
export const TOMBSTONE_TTL_SECONDS = 24 * 60 * 60;
