import { z } from '@hono/zod-openapi';
import { complianceStatuses, contentStatuses, contentTypes, type Content } from '../../db/schema/index.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../lib/date-time.ts';

export const PLATFORM_SLUG = /^[a-z0-9][a-z0-9_-]{0,39}$/;
export const MAX_PLATFORMS = 20;

export const ContentSchema = z
  .object({
    id: z.uuid(),
    organizationId: z.uuid(),
    creatorId: z
      .uuid()
      .openapi({ description: 'The user who created the item (for an API key, the user who created the key).' }),
    type: z.enum(contentTypes),
    title: z.string().openapi({ example: 'Morning briefing: yields edge higher ahead of CPI' }),
    body: z.string(),
    platforms: z.array(z.string()).openapi({ example: ['web', 'newsletter'] }),
    status: z.enum(contentStatuses),
    qualityScore: z.number().nullable().openapi({ description: '0–10, computed on every save by the quality scorer.' }),
    qualityBreakdown: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'How the quality score was reached, per criterion.' }),
    complianceStatus: z.enum(complianceStatuses),
    complianceNote: z
      .string()
      .nullable()
      .openapi({ description: "The reviewer's note, or the prohibited phrases that flagged the text." }),
    publishedVersion: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The version readers see on the delivery API; null when nothing is live.' }),
    scheduleError: z.string().nullable().openapi({ description: 'Why the last scheduled publication did not happen.' }),
    scheduleFailedAt: z.string().nullable().openapi({ format: 'date-time' }),
    scheduledAt: z.string().nullable().openapi({ format: 'date-time' }),
    publishedAt: z.string().nullable().openapi({ format: 'date-time' }),
    engagementStats: z.record(z.string(), z.unknown()),
    version: z
      .number()
      .int()
      .openapi({ description: 'Increments on every change; the ETag is `"<version>"`.', example: 1 }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Content');

export type ContentResource = z.infer<typeof ContentSchema>;

export function toContentResource(row: Content): ContentResource {
  return {
    id: row.id,
    organizationId: row.organizationId,
    creatorId: row.creatorId,
    type: row.type,
    title: row.title,
    body: row.body,
    platforms: row.platforms,
    status: row.status,
    qualityScore: row.qualityScore,
    qualityBreakdown: row.qualityBreakdown,
    complianceStatus: row.complianceStatus,
    complianceNote: row.complianceNote,
    publishedVersion: row.publishedVersion,
    scheduleError: row.scheduleError,
    scheduleFailedAt: row.scheduleFailedAt?.toISOString() ?? null,
    scheduledAt: row.scheduledAt?.toISOString() ?? null,
    publishedAt: row.publishedAt?.toISOString() ?? null,
    engagementStats: row.engagementStats,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const ContentTypeSchema = z.enum(contentTypes).openapi({ example: 'market_update' });

export const PlatformSlugSchema = z
  .string()
  .regex(PLATFORM_SLUG, 'must be a platform slug: lowercase letters, digits, "_" or "-", at most 40 characters')
  .openapi({ example: 'web' });

/** The fields a client writes; create requires type, title and platforms, update takes any of them. */
export const editableFields = {
  type: ContentTypeSchema,
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .openapi({ description: '1–200 characters after trimming.', example: 'Oil slips as inventories build' }),
  body: z.string().openapi({ description: 'Markdown.', example: '## Oil\n\nInventories built for a third week.' }),
  platforms: z
    .array(PlatformSlugSchema)
    .max(MAX_PLATFORMS)
    .openapi({
      description: `Where the item goes out: 1–${MAX_PLATFORMS} platform slugs, duplicates dropped. An empty list is 422.`,
      example: ['web', 'newsletter'],
    }),
  scheduledAt: dateTimeSchema().openapi({
    description: `When to publish: an ISO 8601 date-time with an offset (or Z), in the future (422 otherwise). ${DATE_TIME_BOUNDS}`,
    example: '2030-01-15T07:30:00Z',
  }),
};

export const CreateContentBodySchema = z
  .object({
    type: editableFields.type,
    title: editableFields.title,
    body: editableFields.body.default(''),
    platforms: editableFields.platforms,
    scheduledAt: editableFields.scheduledAt.optional(),
  })
  .strict()
  .openapi('CreateContent', {
    description: 'Status, ids, scores and timestamps are set by the server; sending them is 400.',
  });

export const UpdateContentBodySchema = z
  .object({
    type: editableFields.type.optional(),
    title: editableFields.title.optional(),
    body: editableFields.body.optional(),
    platforms: editableFields.platforms.optional(),
    scheduledAt: editableFields.scheduledAt
      .nullable()
      .optional()
      .openapi({ description: 'A future date-time, or null to clear the schedule.' }),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'send at least one editable field',
  })
  .openapi('UpdateContent', {
    description: 'Any subset of the editable fields (at least one); fields left out keep their value.',
  });

const ETAG_DESCRIPTION = 'Strong entity tag of the returned version: `"<version>"`.';
export const ETagHeaderSchema = z.string().openapi({ description: ETAG_DESCRIPTION, example: '"3"' });

export const IfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description:
        'Apply only if the item is still at this version: `"<version>"` (a list, or `*` for any). Mismatch → ' +
        '412. Without it the change applies to whatever version is current.',
      example: '"3"',
    }),
});

/**
 * If-Match for the sign-offs (approve, publish, schedule, compliance review). Documented as required, but
 * optional to the validator: a missing header must reach the service, which answers 428
 * precondition_required rather than the validator's generic 400.
 */
export const RequiredIfMatchHeaderSchema = z.object({
  'if-match': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header', required: true },
      description:
        'Required: the ETag of the version you reviewed, `"<version>"` (a list is allowed; `*` is not). ' +
        'Missing or `*` → 428 precondition_required; the item moved on → 412.',
      example: '"3"',
    }),
});

export const IfNoneMatchHeaderSchema = z.object({
  'if-none-match': z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: 'The ETag(s) you hold (or `*`); a match answers 304 with no body.',
      example: '"3"',
    }),
});
