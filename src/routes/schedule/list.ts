import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { contentStatuses, type Content } from '../../db/schema/index.ts';
import type { AppEnv } from '../../app-env.ts';
import { listSchedule } from '../../services/scheduling/list-schedule.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../lib/date-time.ts';

const ListScheduleQuerySchema = z
  .object({
    from: dateTimeSchema()
      .optional()
      .openapi({
        description: `Only items scheduled at or after this instant. ${DATE_TIME_BOUNDS}`,
        example: '2030-01-01T00:00:00Z',
      }),
    to: dateTimeSchema()
      .optional()
      .openapi({
        description:
          'Only items scheduled at or before this instant (inclusive to the millisecond); `from` after `to` is 422. ' +
          DATE_TIME_BOUNDS,
        example: '2030-01-31T23:59:59Z',
      }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(100)
      .default(50)
      .openapi({ description: 'At most this many items in each list (1–100).', example: 50 }),
  })
  .strict();

const ScheduledItemSchema = z
  .object({
    id: z.uuid(),
    title: z.string().openapi({ example: 'Morning briefing: yields edge higher ahead of CPI' }),
    status: z
      .enum(contentStatuses)
      .openapi({ description: 'The working copy; anything but `approved` at fire time fails the publication.' }),
    scheduledAt: z.string().openapi({ format: 'date-time', description: 'When it is (or was) due, UTC.' }),
    scheduledVersion: z
      .number()
      .int()
      .nullable()
      .openapi({ description: 'The version that was scheduled; publication fails if `version` has moved on.' }),
    version: z.number().int().openapi({ description: 'The current version.' }),
    scheduleError: z.string().nullable().openapi({
      description: 'Why the scheduled publication did not happen.',
      example: 'approval gate not met: compliance (compliance is pending, must be approved)',
    }),
    scheduleFailedAt: z.string().nullable().openapi({ format: 'date-time' }),
  })
  .openapi('ScheduledItem');

const ScheduleSchema = z
  .object({
    upcoming: z.array(ScheduledItemSchema).openapi({ description: 'Waiting for their time, soonest first.' }),
    failed: z
      .array(ScheduledItemSchema)
      .openapi({ description: 'Due, tried and not published; not retried until scheduled again.' }),
  })
  .openapi('Schedule');

const toScheduledItem = (item: Content): z.infer<typeof ScheduledItemSchema> => ({
  id: item.id,
  title: item.title,
  status: item.status,
  scheduledAt: item.scheduledAt!.toISOString(),
  scheduledVersion: item.scheduledVersion,
  version: item.version,
  scheduleError: item.scheduleError,
  scheduleFailedAt: item.scheduleFailedAt?.toISOString() ?? null,
});

export const listScheduleRoute = createRoute({
  method: 'get',
  path: '/api/v1/schedule',
  operationId: 'listSchedule',
  tags: ['Content'],
  summary: 'Upcoming and failed scheduled publications',
  description:
    "The organization's scheduled content in due order: `upcoming` will be published by the every-minute " +
    'scheduler once due (re-checked then: still the scheduled version, still approved, gates still ' +
    'met); `failed` was due and not published, with the reason. Requires content.read (every role).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.read')] as const,
  request: { query: ListScheduleQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 422, 429),
    200: { description: 'The schedule', content: { 'application/json': { schema: ScheduleSchema } } },
  },
});

export function registerListSchedule(app: OpenAPIHono<AppEnv>) {
  app.openapi(listScheduleRoute, async (c) => {
    const { from, to, limit } = c.req.valid('query');
    const schedule = await listSchedule({
      ctx: tenantContext(c),
      input: { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined, limit },
    });
    return c.json(
      { upcoming: schedule.upcoming.map(toScheduledItem), failed: schedule.failed.map(toScheduledItem) },
      200,
    );
  });
}
