import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { cachedHealth } from '../../services/health/check-health.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { serviceContext } from '../../middleware/request-context.ts';

const DependencySchema = z.object({
  status: z.enum(['up', 'down', 'not_configured']),
  latencyMs: z.number().int(),
  reason: z.string().optional().openapi({ description: 'timeout, unreachable or not_configured' }),
});

const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ database: DependencySchema, redis: DependencySchema, kv: DependencySchema }),
    heartbeats: z.object({
      cron: z.object({ cron: z.string(), scheduledTime: z.string(), ranAt: z.string() }).nullable(),
      queue: z
        .object({ eventId: z.string(), sentAt: z.string(), consumedAt: z.string(), lagMs: z.number() })
        .nullable(),
    }),
    auditChain: z
      .object({
        brokenOrganizations: z.number().int().openapi({
          description: 'Organizations whose audit hash chain the cron found broken (details in the error log).',
        }),
        checkedAt: z.string(),
      })
      .nullable()
      .openapi({
        description: "The cron's last audit chain verification; null before the first. Never changes the status.",
      }),
    checkedAt: z.string().openapi({
      format: 'date-time',
      description: 'When the dependencies were probed: each isolate reuses a report for HEALTH_CACHE_SECONDS.',
    }),
    deadLetters: z
      .object({
        unresolved: z.number().int().openapi({ description: 'Dead letters not resolved yet (re-driven by the cron).' }),
        oldestAgeSeconds: z
          .number()
          .int()
          .nullable()
          .openapi({ description: 'Seconds since the oldest unresolved one first failed; null when there is none.' }),
      })
      .nullable()
      .openapi({
        description:
          'Events the queue gave up on (GET /api/v1/system/dead-letters); null when the database could not be asked.',
      }),
  })
  .openapi('Health');

export const getHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'Service health',
  description:
    'Checks Postgres, Upstash Redis and KV, each with a timeout. `ok` when all are up, `degraded` otherwise; ' +
    '503 when Postgres is down. Also reports when the cron last ran, when the queue last delivered its heartbeat, how ' +
    'many organizations the cron found with a broken audit hash chain, and how many dead letters are unresolved (and ' +
    'the oldest one\u2019s age). A report is reused for a few seconds (checkedAt says when it was taken), so calling ' +
    'it often costs the dependencies nothing; /health/live touches none.',
  security: [],
  responses: {
    ...problemResponses(),
    200: {
      description: 'Serving; status says whether every dependency is up',
      content: { 'application/json': { schema: HealthSchema } },
    },
    503: { description: 'Postgres is unreachable', content: { 'application/json': { schema: HealthSchema } } },
  },
});

export function registerGetHealth(app: OpenAPIHono<AppEnv>) {
  app.openapi(getHealthRoute, async (c) => {
    const config = c.get('config');
    const { httpStatus, ...report } = await cachedHealth({
      ctx: serviceContext(c),
      input: { timeoutMs: config.healthTimeoutMs, cacheMs: config.healthCacheMs },
    });
    c.header('cache-control', 'no-store');
    return c.json(report, httpStatus);
  });
}
