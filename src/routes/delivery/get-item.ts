import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { readPublishedItem } from '../../services/delivery/read-published-item.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { deliveryRequest } from './delivery-request.ts';
import { clientHolds, deliveryHeaders, itemTag, organizationTag } from './http-caching.ts';
import { ConditionalHeaderSchema, deliveryHeaderDocs, ItemParamsSchema, PublishedItemSchema } from './schemas.ts';

export const getPublishedItemRoute = createRoute({
  method: 'get',
  path: '/delivery/v1/{org}/content/{id}',
  operationId: 'getPublishedContent',
  tags: ['Delivery'],
  summary: 'Read one published item',
  description: [
    'The published snapshot of the item (never the working copy), from KV at the edge; a miss reads Postgres and fills KV.',
    "Draft, unpublished, archived, unknown and other organizations' items are 404. With a delivery " +
      'token of the organization, or without one when the organization enabled public access.',
    'Strong ETag; If-None-Match answers 304. With the database down, items already at the edge are still ' +
      'served (X-Delivery-Stale may say so); others are 503 with Retry-After.',
  ].join(' '),
  // The empty requirement: public access, when the organization enabled it.
  security: [{ deliveryToken: [] }, {}] as Record<string, string[]>[],
  request: { params: ItemParamsSchema, headers: ConditionalHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 404, 429, 503),
    200: {
      description: 'The published item',
      headers: deliveryHeaderDocs,
      content: { 'application/json': { schema: PublishedItemSchema } },
    },
    304: { description: 'Unchanged since the ETag in If-None-Match', headers: deliveryHeaderDocs },
  },
});

export function registerGetPublishedItem(app: OpenAPIHono<AppEnv>) {
  app.openapi(getPublishedItemRoute, async (c) => {
    const { org, id } = c.req.valid('param');
    const { ctx, access } = await deliveryRequest(c, org, { requireToken: false });
    const { item, source, stale, storedAt } = await readPublishedItem({
      ctx,
      input: { organizationId: access.organizationId, id },
    });
    const headers = deliveryHeaders(access, {
      etag: `"i.${access.organizationId}.${item.id}.${item.version}"`,
      tags: [organizationTag(access.organizationId), itemTag(item.id)],
      source,
      stale,
      storedAt,
    });
    if (clientHolds(c.req.valid('header')['if-none-match'], headers)) return c.body(null, 304, headers);
    return c.json(item, 200, headers);
  });
}
