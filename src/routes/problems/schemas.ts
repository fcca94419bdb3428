import { z } from '@hono/zod-openapi';
import { ERROR_CODES, type ErrorCode } from '../../lib/error-codes.ts';
import { problemType } from '../../lib/problem.ts';

const codes = Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]];

export const ProblemTypeSchema = z
  .object({
    code: z.enum(codes).openapi({ description: 'The `code` of error responses of this type.', example: 'slug_taken' }),
    type: z.string().openapi({
      description: 'The `type` URI those responses carry, which is this resource.',
      example: 'https://api.contentos.example/problems/slug_taken',
    }),
    status: z.number().int().openapi({ example: 409 }),
    title: z.string().openapi({ example: 'Conflict' }),
    explanation: z.string().openapi({
      description: 'What went wrong and what the client can do about it.',
      example: 'Another organization already uses this slug. Choose a different slug.',
    }),
  })
  .openapi('ProblemType', { description: 'One entry of the error-code catalogue.' });

export const ProblemTypeListSchema = z
  .object({ data: z.array(ProblemTypeSchema) })
  .openapi('ProblemTypeList', { description: 'Every error code the API answers with.' });

export const ProblemCodeParamSchema = z.object({
  code: z.string().openapi({
    param: { name: 'code', in: 'path' },
    description: 'An error code, as in the `code` of an error response.',
    example: 'slug_taken',
  }),
});

export type ProblemTypeResource = z.infer<typeof ProblemTypeSchema>;

export function toProblemTypeResource(origin: string, code: ErrorCode): ProblemTypeResource {
  const { status, title, explanation } = ERROR_CODES[code];
  return { code, type: problemType(origin, code), status, title, explanation };
}

export const allProblemCodes: readonly ErrorCode[] = codes;
