import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { engagementEventTypes } from '../../db/schema/index.ts';
import { ingestEngagementEvents } from '../../services/delivery/ingest-engagement-events.ts';
import { clientAddressKey } from '../../services/rate-limit/client-address.ts';
import { IdempotencyHeaderSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { deliveryRequest } from './delivery-request.ts';
import { OrgParamSchema } from './schemas.ts';

const EngagementEventSchema = z
  .object({
    type: z.enum(engagementEventTypes),
    contentId: z.uuid(),
    platform: z.string().openapi({ example: 'web' }),
    occurredAt: z
      .string()
      .openapi({ format: 'date-time', description: "The client's time; between 7 days ago and 5 minutes ahead." }),
  })
  .openapi('EngagementEvent');

const EngagementBatchBodySchema = z
  .object({
    events: z
      .array(z.unknown())
      .min(1)
      .max(100)
      .openapi({
        description:
          'Up to 100 EngagementEvent objects. Each is validated on its own: invalid ones are listed in `rejected`, the rest are accepted.',
        example: [
          {
            type: 'view',
            contentId: '3f1c1d7e-2b4a-4c8e-9a51-0c2f8f5d9e11',
            platform: 'web',
            occurredAt: '2026-11-22T10:00:00Z',
          },
        ],
      }),
  })
  .strict()
  .openapi('EngagementBatch');

const AcceptedBatchSchema = z
  .object({
    batchId: z.uuid().openapi({
      description:
        'Counted once however often the queue delivers it; the same Idempotency-Key gives the same batch id.',
    }),
    accepted: z.number().int(),
    rejected: z.array(
      z.object({
        index: z.number().int(),
        errors: z.array(z.object({ path: z.string(), message: z.string(), code: z.string() })),
      }),
    ),
  })
  .openapi('AcceptedEngagementBatch');

export const postEngagementEventsRoute = createRoute({
  method: 'post',
  path: '/delivery/v1/{org}/events',
  operationId: 'sendEngagementEvents',
  tags: ['Delivery'],
  summary: 'Send reader engagement',
  description: [
    'Accepts a batch of view, click, share and like events with a delivery token of the organization and ' +
      'answers 202 once they are on the queue; the database is not touched.',
    'The consumer counts them per item, day and platform; events for unknown, unpublished or other ' +
      "organizations' content are dropped and counted. A batch where no event is valid is 422.",
    'Idempotency-Key makes a retried POST count once.',
    'Events are capped per delivery token and per client address, per minute and per hour: a batch that does not fit ' +
      'under every cap is refused whole (429 with Retry-After) and none of it is counted.',
  ].join(' '),
  security: [{ deliveryToken: [] }],
  request: {
    params: OrgParamSchema,
    headers: IdempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: EngagementBatchBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 404, 413, 415, 422, 429, 503),
    202: { description: 'Queued for counting', content: { 'application/json': { schema: AcceptedBatchSchema } } },
  },
});

export function registerPostEngagementEvents(app: OpenAPIHono<AppEnv>) {
  app.openAPIRegistry.register('EngagementEvent', EngagementEventSchema);
  app.openapi(postEngagementEventsRoute, async (c) => {
    const { org } = c.req.valid('param');
    const { ctx, access } = await deliveryRequest(c, org, { requireToken: true });
    const batch = await ingestEngagementEvents({
      ctx,
      input: {
        access,
        events: c.req.valid('json').events,
        idempotencyKey: c.req.valid('header')['idempotency-key'],
        address: clientAddressKey(c.req.header('cf-connecting-ip')),
        rateLimits: c.get('rateLimits'),
      },
    });
    return c.json(batch, 202, { 'cache-control': 'no-store' });
  });
}
