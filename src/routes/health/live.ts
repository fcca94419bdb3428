import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { problemResponses } from '../shared/problem-schema.ts';

export const getLivenessRoute = createRoute({
  method: 'get',
  path: '/health/live',
  operationId: 'getLiveness',
  tags: ['System'],
  summary: 'Liveness',
  description:
    'Answers without touching any dependency: the Worker is running. For load balancers and uptime checks that must not load the database; ' +
    "also the benchmark's baseline (the cost of a request through this runtime and the app's middleware, and nothing else).",
  security: [],
  responses: {
    ...problemResponses(),
    200: {
      description: 'Running',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).openapi('Liveness') } },
    },
  },
});

export function registerGetLiveness(app: OpenAPIHono<AppEnv>) {
  app.openapi(getLivenessRoute, (c) => c.json({ status: 'ok' as const }, 200, { 'cache-control': 'no-store' }));
}
