import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { scoreDraft } from '../../services/content/score-draft.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { editableFields } from './schemas.ts';

const ScoreContentBodySchema = z
  .object({
    type: editableFields.type,
    // Unlike create, an empty title is scored (it scores 0): an editor sees the score before typing one.
    title: z
      .string()
      .trim()
      .max(200)
      .openapi({ description: '0–200 characters after trimming.', example: 'Oil slips as inventories build' }),
    body: editableFields.body.default(''),
    platforms: editableFields.platforms
      .optional()
      .openapi({ description: 'Checked as for create (slugs, at most 20); they do not change the score.' }),
  })
  .strict()
  .openapi('ScoreContent');

const MatchSchema = z
  .object({
    start: z.number().int().openapi({ description: 'UTF-16 offset of the first character in the field as sent.' }),
    end: z.number().int().openapi({ description: 'UTF-16 offset after the last character (exclusive).' }),
    text: z.string().openapi({ description: 'The words as written there.', example: 'Risk free' }),
  })
  .openapi('PhraseMatch');

const CriterionSchema = z.object({
  name: z.enum(['title', 'body_length', 'structure', 'readability', 'disclaimer']),
  score: z.number(),
  max: z.number(),
  detail: z.string(),
});

export const ContentScoreSchema = z
  .object({
    qualityScore: z.number().openapi({ description: '0–10: what a save would store.', example: 7.4 }),
    qualityBreakdown: z
      .object({
        scorer: z.string().openapi({ example: 'contentos-quality/1' }),
        criteria: z.array(CriterionSchema),
        subtotal: z.number(),
        cap: z.object({ limit: z.number(), reason: z.string() }).nullable(),
        total: z.number(),
      })
      .openapi({ description: 'The breakdown a save would store, criterion by criterion.' }),
    complianceStatus: z
      .enum(['flagged', 'pending'])
      .openapi({ description: 'What a save would set: flagged when a prohibited phrase is found, else pending.' }),
    complianceNote: z.string().nullable().openapi({ description: 'The note a save would store with a flag.' }),
    prohibitedPhrases: z
      .array(
        z.object({
          phrase: z.string().openapi({ description: 'As the policy spells it.', example: 'risk-free' }),
          title: z.array(MatchSchema),
          body: z.array(MatchSchema),
        }),
      )
      .openapi({
        description:
          'The policy\u2019s phrases a save would flag, in policy order, with where each occurs (at most 50 per field).',
      }),
    disclaimer: z
      .object({
        required: z
          .boolean()
          .openapi({ description: 'The organization has a disclaimer and this type must carry it.' }),
        text: z.string().nullable().openapi({ description: 'The organization\u2019s disclaimer, if it has one.' }),
        present: z.boolean().nullable().openapi({ description: 'Whether the body has it; null when not required.' }),
      })
      .openapi({ description: 'A missing required disclaimer caps the score at 5.' }),
    approvalThreshold: z.number().openapi({ description: 'The organization\u2019s approval threshold.' }),
    meetsThreshold: z.boolean().openapi({ description: 'qualityScore ≥ approvalThreshold.' }),
  })
  .openapi('ContentScore');

export const scoreContentRoute = createRoute({
  method: 'post',
  path: '/api/v1/content/score',
  operationId: 'scoreContent',
  tags: ['Content'],
  summary: 'Score a draft (dry run)',
  description: [
    'What saving this text would compute, against the editorial policy of the organization acted in: the ' +
      'quality score and breakdown, the compliance status and note, the prohibited phrases found (with their ' +
      'positions) and whether the required disclaimer is needed and present. Nothing is stored, audited or sent.',
    'For those who may write any content (content.create or content.update); others get 403.',
    'Bodies are bounded as for create (413 beyond the request size limit). Editors call it while typing.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.create', 'content.update')] as const,
  request: { body: { required: true, content: { 'application/json': { schema: ScoreContentBodySchema } } } },
  responses: {
    ...problemResponses(400, 401, 403, 413, 415, 429),
    200: { description: 'The score', content: { 'application/json': { schema: ContentScoreSchema } } },
  },
});

export function registerScoreContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(scoreContentRoute, async (c) => {
    const { type, title, body } = c.req.valid('json');
    const score = await scoreDraft({ ctx: tenantContext(c), input: { type, title, body } });
    return c.json(score, 200);
  });
}
