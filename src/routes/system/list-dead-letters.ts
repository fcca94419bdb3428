import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { deadLetterReasons } from '../../db/schema/index.ts';
import { listDeadLetters } from '../../services/dead-letters/list-dead-letters.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeadLetterSchema, toDeadLetterResource } from './dead-letter-schema.ts';

const ListDeadLettersQuerySchema = z
  .object({
    status: z
      .enum(['unresolved', 'resolved', 'all'])
      .default('unresolved')
      .openapi({ description: 'Unresolved (the default), resolved, or all.' }),
    organizationId: z.uuid().optional().openapi({ description: 'Only this organization\u2019s events.' }),
    eventType: z.string().min(1).max(200).optional().openapi({ example: 'content.unpublished' }),
    eventId: z.string().min(1).max(200).optional(),
    effect: z.string().min(1).max(100).optional().openapi({ example: 'delivery-cache' }),
    reason: z.enum(deadLetterReasons).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 }),
    cursor: z.string().min(1).max(500).optional().openapi({ description: '`nextCursor` of the previous page.' }),
  })
  .strict();

const DeadLetterPageSchema = z
  .object({
    data: z.array(DeadLetterSchema),
    nextCursor: z.string().nullable().openapi({ description: 'Pass as `cursor` for the next page; null on the last.' }),
  })
  .openapi('DeadLetterPage');

export const listDeadLettersRoute = createRoute({
  method: 'get',
  path: '/api/v1/system/dead-letters',
  operationId: 'listDeadLetters',
  tags: ['System'],
  summary: 'List dead letters',
  description:
    'Events the queue gave up on, one per event and failing effect, newest first failure first (cursor pagination). ' +
    'The cron re-drives each with backoff (1 min doubling to 6 h) until it succeeds; malformed messages wait for a ' +
    'person. Platform-wide; super_admin only (dead_letters.manage).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('dead_letters.manage')] as const,
  request: { query: ListDeadLettersQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: { description: 'A page of dead letters', content: { 'application/json': { schema: DeadLetterPageSchema } } },
  },
});

export function registerListDeadLetters(app: OpenAPIHono<AppEnv>) {
  app.openapi(listDeadLettersRoute, async (c) => {
    const { items, nextCursor } = await listDeadLetters({ ctx: tenantContext(c), input: c.req.valid('query') });
    return c.json({ data: items.map(toDeadLetterResource), nextCursor }, 200);
  });
}
