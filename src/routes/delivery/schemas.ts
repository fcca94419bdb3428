import { z } from '@hono/zod-openapi';
import { contentTypes } from '../../db/schema/index.ts';
import { SLUG_PATTERN } from '../../services/organizations/slug-rules.ts';
import { PLATFORM_SLUG } from '../content/schemas.ts';

export const OrgParamSchema = z.object({
  org: z
    .string()
    .regex(SLUG_PATTERN, 'an organization slug')
    .openapi({ param: { name: 'org', in: 'path' }, description: "The organization's slug.", example: 'demo' }),
});

export const ItemParamsSchema = OrgParamSchema.extend({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11' }),
});

export const ConditionalHeaderSchema = z.object({
  'if-none-match': z
    .string()
    .max(1024)
    .optional()
    .openapi({
      param: { name: 'if-none-match', in: 'header' },
      description: 'An ETag from an earlier response: 304 when it still matches.',
    }),
});

export const PublishedItemSchema = z
  .object({
    id: z.uuid(),
    type: z.enum(contentTypes),
    title: z.string(),
    body: z.string().openapi({ description: 'Markdown, as published.' }),
    platforms: z.array(z.string()),
    publishedAt: z
      .string()
      .openapi({ format: 'date-time', description: 'When this version was published (microsecond precision).' }),
    version: z.number().int().openapi({ description: 'The published version; part of the ETag.' }),
  })
  .openapi('PublishedContent');

export const PublishedSummarySchema = PublishedItemSchema.omit({ body: true }).openapi('PublishedContentSummary');

export const ListQuerySchema = z
  .object({
    type: z.enum(contentTypes).optional(),
    platform: z.string().regex(PLATFORM_SLUG, 'a platform slug').optional().openapi({ example: 'web' }),
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
    cursor: z.string().min(1).max(512).optional().openapi({
      description:
        'nextCursor of the previous page, unchanged, with the same limit, type and platform (cursors are signed: anything else is 400).',
    }),
  })
  .strict();

export const PublishedPageSchema = z
  .object({
    data: z.array(PublishedSummarySchema),
    nextCursor: z
      .string()
      .nullable()
      .openapi({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
  })
  .openapi('PublishedContentPage');

export const deliveryHeaderDocs = z.object({
  ETag: z.string().openapi({
    description: 'Strong validator: organization, id and version for an item; a digest of the page for a list.',
  }),
  'Cache-Control': z.string().openapi({
    description:
      'public with s-maxage, stale-while-revalidate and stale-if-error for public organizations; private with a delivery token.',
  }),
  'Cache-Tag': z.string().openapi({
    description:
      'Purge handles (comma-separated): org-<id>, content-<id> or org-<id>-lists. Surrogate-Key carries the same, space-separated.',
  }),
  'X-Delivery-Cache': z.string().openapi({ description: 'hit (served from KV) or miss (read from Postgres).' }),
  'X-Delivery-Stale': z.string().optional().openapi({
    description: 'database-unreachable: served from KV while the database is down; may lag behind the latest publish.',
  }),
});
