import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { isErrorCode } from '../../lib/error-codes.ts';
import { notFound } from '../../lib/errors.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { problemPageHeaderDocs, problemPageHeaders, wantsJson } from './negotiation.ts';
import { PROBLEM_PAGE_CSP, renderProblemPage } from './page.ts';
import { ProblemCodeParamSchema, ProblemTypeSchema, toProblemTypeResource } from './schemas.ts';

export const getProblemRoute = createRoute({
  method: 'get',
  path: '/problems/{code}',
  operationId: 'getProblemType',
  tags: ['System'],
  summary: 'Explain an error code',
  description:
    'What the `type` URI of an error response resolves to: the code, its status and title, and what to do about it. ' +
    'An HTML page by default; JSON with `Accept: application/json`. Public and cacheable; an unknown code is 404.',
  security: [],
  request: { params: ProblemCodeParamSchema },
  responses: {
    ...problemResponses(404),
    200: {
      description: 'The catalogue entry of the code',
      headers: problemPageHeaderDocs,
      content: {
        'text/html': { schema: { type: 'string' } },
        'application/json': { schema: ProblemTypeSchema },
      },
    },
  },
});

export function registerGetProblem(app: OpenAPIHono<AppEnv>) {
  app.openapi(getProblemRoute, (c) => {
    const { code } = c.req.valid('param');
    if (!isErrorCode(code)) throw notFound('problem type');
    const problem = toProblemTypeResource(new URL(c.req.url).origin, code);
    if (wantsJson(c)) return c.json(problem, 200, problemPageHeaders);
    return c.html(renderProblemPage(problem), 200, {
      ...problemPageHeaders,
      'content-security-policy': PROBLEM_PAGE_CSP,
    });
  });
}
