import { z } from '@hono/zod-openapi';
import type { EditorialPolicy } from '../../services/organizations/policy.ts';

export const MAX_PROHIBITED_PHRASES = 200;

export const EditorialPolicySchema = z
  .object({
    organizationId: z.uuid(),
    approvalThreshold: z
      .number()
      .openapi({ description: 'Approval requires a quality score of at least this (0–10).', example: 7 }),
    prohibitedPhrases: z.array(z.string()).openapi({
      description:
        'Content whose title or body contains one of these (case-insensitive, whole words, punctuation and spacing ignored) is flagged for compliance on save.',
      example: ['guaranteed returns', 'risk-free'],
    }),
    requiredDisclaimer: z
      .string()
      .nullable()
      .openapi({
        description:
          'Text that market_update and news_analysis bodies must contain (case-insensitive, spacing ignored); ' +
          'without it their quality score is capped at 5. Null: none required.',
        example: 'This material is for information only and is not investment advice.',
      }),
  })
  .openapi('EditorialPolicy');

export const toEditorialPolicyResource = (
  organizationId: string,
  policy: EditorialPolicy,
): z.infer<typeof EditorialPolicySchema> => ({ organizationId, ...policy });

const phrase = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .regex(/[\p{L}\p{N}]/u, 'must contain a letter or a digit')
  // The generator writes a regex with flags as "source/flags"; JSON Schema patterns are sources (always Unicode).
  .openapi({ example: 'guaranteed returns', pattern: '[\\p{L}\\p{N}]' });

export const UpdateEditorialPolicyBodySchema = z
  .object({
    approvalThreshold: z
      .number()
      .min(0)
      .max(10)
      .multipleOf(0.1)
      .optional()
      .openapi({ description: '0–10 in steps of 0.1 (scores have one decimal).', example: 7.5 }),
    prohibitedPhrases: z
      .array(phrase)
      .max(MAX_PROHIBITED_PHRASES)
      .optional()
      .openapi({
        description:
          `Replaces the whole list: at most ${MAX_PROHIBITED_PHRASES} phrases of 2–100 characters, trimmed; ` +
          `spellings that match the same text ("Risk-free", "risk free") are kept once, first one wins. ` +
          `[] clears it.`,
        example: ['guaranteed returns', 'risk-free'],
      }),
    requiredDisclaimer: z.string().trim().min(1).max(2000).nullable().optional().openapi({
      description: 'Up to 2000 characters, trimmed; null removes the requirement.',
      example: 'This material is for information only and is not investment advice.',
    }),
  })
  .strict()
  .refine((body) => Object.values(body).some((value) => value !== undefined), {
    message: 'send at least one of approvalThreshold, prohibitedPhrases, requiredDisclaimer',
  })
  .openapi('UpdateEditorialPolicy', {
    description: 'Any subset of the policy (at least one field); fields left out keep their value.',
  });
