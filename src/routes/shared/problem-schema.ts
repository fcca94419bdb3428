import { z } from '@hono/zod-openapi';

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: 'Absolute URI of this API\u2019s `GET /problems/{code}`, which explains the code.',
      example: 'https://api.contentos.example/problems/validation_failed',
    }),
    title: z.string().openapi({ example: 'Invalid request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request body failed validation: body.title Too big' }),
    code: z
      .string()
      .openapi({ description: 'Machine-readable error code; stable across releases.', example: 'validation_failed' }),
    requestId: z.string().openapi({ description: 'Echoes X-Request-Id; quote it when reporting a problem.' }),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string().openapi({ example: 'body.title' }), message: z.string(), code: z.string() }))
      .openapi({ description: 'Field-level errors, one per offending field.' }),
    stepUp: z
      .object({
        acrValues: z
          .array(z.string())
          .openapi({ description: 'What to ask the identity provider for (`acr_values`).' }),
        maxAge: z
          .number()
          .int()
          .nullable()
          .openapi({ description: 'RFC 9470 max_age, in seconds, if the organization sets one.' }),
        verify: z.string().nullable().openapi({
          description: 'Where to verify a built-in authenticator code instead, where the organization allows it.',
        }),
        url: z.string().nullable().openapi({ description: 'Browser sessions: where to sign in again.' }),
      })
      .optional()
      .openapi({
        description:
          'Only with `insufficient_user_authentication`: how to get the multi-factor authentication asked for.',
      }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details.' });

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };

const descriptions = {
  400: 'Malformed request: invalid JSON, wrong types, or failed validation',
  401: 'Missing or invalid credentials, or a role that needs multi-factor authentication without it',
  403: 'Authenticated but not allowed',
  404: 'Not found (including another organization\u2019s resources)',
  409: 'Conflicts with the current state',
  412: 'If-Match precondition failed',
  413: 'Request body too large',
  415: 'Request body is not application/json',
  422: 'Well-formed but breaks a business rule',
  428: 'Must be conditional: send If-Match with the ETag of the version you read',
  429: 'Rate limit exceeded',
  500: 'Unexpected error',
  503: 'A dependency is unavailable',
} as const;

export type ProblemStatus = keyof typeof descriptions;

/**
 * The shared error responses an operation declares, so every operation documents problem+json.
 * Spread it first in `responses`, so an operation's own entry for a status wins.
 */
export function problemResponses<S extends ProblemStatus = never>(...statuses: S[]) {
  const all = [...new Set<ProblemStatus>([...statuses, 500])];
  return Object.fromEntries(
    all.map((status) => [status, { description: descriptions[status], content: problemContent }]),
  ) as Record<S | 500, { description: string; content: typeof problemContent }>;
}

/**
 * Either credential of the management API: a bearer token (or API key), or the browser's session cookie
 * (docs/decisions/0035). Typed loosely on purpose: a literal union of the two objects confuses createRoute's
 * inference of the request types.
 */
export const bearerOrSession: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { sessionCookie: [] }];
