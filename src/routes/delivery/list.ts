import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { readPublishedList } from '../../services/delivery/read-published-list.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { deliveryRequest } from './delivery-request.ts';
import { clientHolds, deliveryHeaders, listTag, organizationTag } from './http-caching.ts';
import {
  ConditionalHeaderSchema,
  deliveryHeaderDocs,
  ListQuerySchema,
  OrgParamSchema,
  PublishedPageSchema,
} from './schemas.ts';

export const listPublishedRoute = createRoute({
  method: 'get',
  path: '/delivery/v1/{org}/content',
  operationId: 'listPublishedContent',
  tags: ['Delivery'],
  summary: 'List published content',
  description: [
    "Published items only, newest publication first, filtered by the published snapshot's type " +
      'and platform; entries leave out the body (read the item for it).',
    'Cursor pagination: pass nextCursor as cursor, with the same limit, type and platform (a cursor is ' +
      'signed for the query it came from: anything else is 400 invalid_cursor); limit 1–100 (default 20). Pages are served from ' +
      "KV under the organization's content epoch, which every publish, unpublish and archive moves, " +
      'so a page is never half old, half new.',
    'Strong ETag (a digest of the page); If-None-Match answers 304.',
  ].join(' '),
  // The empty requirement: public access, when the organization enabled it.
  security: [{ deliveryToken: [] }, {}] as Record<string, string[]>[],
  request: { params: OrgParamSchema, query: ListQuerySchema, headers: ConditionalHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 404, 429, 503),
    200: {
      description: 'A page of published items',
      headers: deliveryHeaderDocs,
      content: { 'application/json': { schema: PublishedPageSchema } },
    },
    304: { description: 'Unchanged since the ETag in If-None-Match', headers: deliveryHeaderDocs },
  },
});

export function registerListPublished(app: OpenAPIHono<AppEnv>) {
  app.openapi(listPublishedRoute, async (c) => {
    const { org } = c.req.valid('param');
    const { ctx, access } = await deliveryRequest(c, org, { requireToken: false });
    const { entry, source, stale } = await readPublishedList({
      ctx,
      input: { organizationId: access.organizationId, query: c.req.valid('query') },
    });
    const headers = deliveryHeaders(access, {
      etag: entry.etag,
      tags: [organizationTag(access.organizationId), listTag(access.organizationId)],
      source,
      stale,
      storedAt: entry.storedAt,
    });
    if (clientHolds(c.req.valid('header')['if-none-match'], headers)) return c.body(null, 304, headers);
    return c.json(entry.body, 200, headers);
  });
}
