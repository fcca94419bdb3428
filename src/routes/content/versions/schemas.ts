import { z } from '@hono/zod-openapi';
import type { Content, ContentVersion } from '../../../db/schema/index.ts';
import { IdParamSchema } from '../../shared/params.ts';

const versionNumber = (name: string, description: string) =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(2_147_483_647)
    .openapi({ param: { name, in: 'path' }, description, example: 2 });

export const VersionParamsSchema = IdParamSchema.extend({
  n: versionNumber('n', 'The version number (1 is the item as created).'),
});

export const DiffParamsSchema = IdParamSchema.extend({
  a: versionNumber('a', 'The version to compare from.'),
  b: versionNumber('b', 'The version to compare to (may be older than a: the diff then runs backwards).'),
});

const AuthorSchema = z
  .object({
    type: z
      .enum(['user', 'api_key', 'system'])
      .openapi({ description: 'system: the scheduler, a queue consumer or a data import.' }),
    id: z.uuid().nullable().openapi({ description: 'The user or API key id; null for system.' }),
  })
  .openapi('VersionAuthor');

const versionMetadata = {
  version: z.number().int().openapi({ example: 3 }),
  action: z.string().openapi({
    description:
      'What produced the version: content.create, content.update, content.approve, content.version_restore, …',
    example: 'content.update',
  }),
  author: AuthorSchema,
  message: z
    .string()
    .nullable()
    .openapi({ description: 'A comment given with the change (reject reason, restore note).' }),
  published: z.boolean().openapi({ description: 'Whether this is the version readers see on the delivery API.' }),
  createdAt: z.string().openapi({ format: 'date-time' }),
};

export const VersionSummarySchema = z
  .object({
    ...versionMetadata,
    title: z.string().nullable().openapi({ description: 'The title in this version.' }),
    status: z
      .string()
      .nullable()
      .openapi({ description: 'The status the item had after this change.', example: 'draft' }),
  })
  .openapi('ContentVersionSummary');

export const VersionSchema = z
  .object({
    contentId: z.uuid(),
    ...versionMetadata,
    snapshot: z.record(z.string(), z.unknown()).openapi({
      description:
        'The whole item as it stood after the change: type, title, body, platforms, status, qualityScore, ' +
        'qualityBreakdown, complianceStatus, complianceNote, scheduledAt, publishedAt, publishedVersion, ' +
        'creatorId, version.',
    }),
  })
  .openapi('ContentVersion');

const author = (row: Pick<ContentVersion, 'authorType' | 'authorId'>) => ({
  type: row.authorType as 'user' | 'api_key' | 'system',
  id: row.authorId,
});

type Metadata = Pick<ContentVersion, 'version' | 'action' | 'authorType' | 'authorId' | 'message' | 'createdAt'>;

const toMetadata = (item: Pick<Content, 'publishedVersion'>, row: Metadata) => ({
  version: row.version,
  action: row.action,
  author: author(row),
  message: row.message,
  published: item.publishedVersion === row.version,
  createdAt: row.createdAt.toISOString(),
});

export const toVersionSummary = (
  item: Pick<Content, 'publishedVersion'>,
  row: Metadata & { title: string | null; status: string | null },
): z.infer<typeof VersionSummarySchema> => ({
  ...toMetadata(item, row),
  title: row.title,
  status: row.status,
});

export const toVersionResource = (
  item: Pick<Content, 'publishedVersion'>,
  row: ContentVersion,
): z.infer<typeof VersionSchema> => ({
  contentId: row.contentId,
  ...toMetadata(item, row),
  snapshot: row.snapshot,
});

const LineSchema = z.object({ op: z.enum(['equal', 'add', 'remove']), text: z.string() }).openapi('DiffLine');

export const VersionDiffSchema = z
  .object({
    from: z.number().int().openapi({ example: 2 }),
    to: z.number().int().openapi({ example: 5 }),
    changes: z
      .array(
        z.object({
          field: z.string().openapi({ example: 'title' }),
          before: z.unknown(),
          after: z.unknown(),
          lines: z
            .array(LineSchema)
            .optional()
            .openapi({ description: 'For body: the line diff, every line of both versions in order.' }),
          linesTruncated: z
            .boolean()
            .optional()
            .openapi({
              description:
                'For body: true when the changed region was too large to diff line by line (over 5000 lines or 1000 ' +
                'edits) and is shown as removed, then added.',
            }),
        }),
      )
      .openapi({
        description: 'Every snapshot field that differs (version and qualityBreakdown left out). Empty when from = to.',
      }),
  })
  .openapi('ContentVersionDiff');

export const RestoreVersionBodySchema = z
  .object({
    message: z.string().trim().min(1).max(500).optional().openapi({
      description: 'Why; recorded on the new version and in the audit log.',
      example: 'Back to the approved wording',
    }),
  })
  .strict()
  .openapi('RestoreContentVersion');
