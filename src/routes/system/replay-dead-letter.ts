import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { replayDeadLetter } from '../../services/dead-letters/replay-dead-letter.ts';
import { eventRoutes } from '../../../workers/queue.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdempotencyHeaderSchema, IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DeadLetterSchema, toDeadLetterResource } from './dead-letter-schema.ts';

export const replayDeadLetterRoute = createRoute({
  method: 'post',
  path: '/api/v1/system/dead-letters/{id}/replay',
  operationId: 'replayDeadLetter',
  tags: ['System'],
  summary: 'Replay a dead letter',
  description:
    'Runs the dead letter\u2019s effect now, as the queue consumer would (the message is parsed with the current ' +
    'event catalogue). 200 with the row either way: `resolvedAt` set when it went through, otherwise `lastError` ' +
    'and the next re-drive. 409 dead_letter_resolved when it is already resolved. Audited as dead_letter.replay. ' +
    'super_admin only (dead_letters.manage).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('dead_letters.manage')] as const,
  request: { params: IdParamSchema, headers: IdempotencyHeaderSchema },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 429),
    200: {
      description: 'The dead letter after the attempt',
      content: { 'application/json': { schema: DeadLetterSchema } },
    },
  },
});

export function registerReplayDeadLetter(app: OpenAPIHono<AppEnv>) {
  app.openapi(replayDeadLetterRoute, async (c) => {
    // The consumer's own table of effects, so a replay does exactly what the queue would have done.
    const row = await replayDeadLetter({
      ctx: tenantContext(c),
      input: { id: c.req.valid('param').id, routes: eventRoutes },
    });
    return c.json(toDeadLetterResource(row), 200);
  });
}
