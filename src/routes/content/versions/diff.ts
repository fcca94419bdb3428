import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { diffVersions } from '../../../services/versions/diff-versions.ts';
import { requirePermission, tenantContext } from '../../shared/guard.ts';
import { problemResponses } from '../../shared/problem-schema.ts';
import { DiffParamsSchema, VersionDiffSchema } from './schemas.ts';

export const diffContentVersionsRoute = createRoute({
  method: 'get',
  path: '/api/v1/content/{id}/versions/{a}/diff/{b}',
  operationId: 'diffContentVersions',
  tags: ['Content'],
  summary: 'Compare two versions of content',
  description: [
    'Every snapshot field that differs from version a to version b, with its value before and after; version and qualityBreakdown are left out.',
    'For body, also a line diff (`lines`: equal, remove, add, in order; a changed line is a remove then ' +
      'an add). A changed region of more than 5000 lines, or needing more than 1000 line edits, is shown ' +
      'as removed then added (`linesTruncated`).',
    'a = b has no changes. Either version unknown is 404. Requires content.read.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { params: DiffParamsSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 429),
    200: { description: 'The differences', content: { 'application/json': { schema: VersionDiffSchema } } },
  },
});

export function registerDiffContentVersions(app: OpenAPIHono<AppEnv>) {
  app.openapi(diffContentVersionsRoute, async (c) => {
    const { id, a, b } = c.req.valid('param');
    return c.json(await diffVersions({ ctx: tenantContext(c), input: { id, from: a, to: b } }), 200);
  });
}
