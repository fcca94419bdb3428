import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { problemPageHeaderDocs, problemPageHeaders, wantsJson } from './negotiation.ts';
import { PROBLEM_PAGE_CSP, renderProblemListPage } from './page.ts';
import { allProblemCodes, ProblemTypeListSchema, toProblemTypeResource } from './schemas.ts';

export const listProblemsRoute = createRoute({
  method: 'get',
  path: '/problems',
  operationId: 'listProblemTypes',
  tags: ['System'],
  summary: 'List the error codes',
  description:
    'Every `code` an error response can carry, with its status, title and what to do about it. ' +
    'An HTML page by default; JSON with `Accept: application/json`. Public and cacheable.',
  security: [],
  responses: {
    ...problemResponses(),
    200: {
      description: 'The error-code catalogue',
      headers: problemPageHeaderDocs,
      content: {
        'text/html': { schema: { type: 'string' } },
        'application/json': { schema: ProblemTypeListSchema },
      },
    },
  },
});

export function registerListProblems(app: OpenAPIHono<AppEnv>) {
  app.openapi(listProblemsRoute, (c) => {
    const origin = new URL(c.req.url).origin;
    const data = allProblemCodes.map((code) => toProblemTypeResource(origin, code));
    if (wantsJson(c)) return c.json({ data }, 200, problemPageHeaders);
    return c.html(renderProblemListPage(data), 200, {
      ...problemPageHeaders,
      'content-security-policy': PROBLEM_PAGE_CSP,
    });
  });
}
