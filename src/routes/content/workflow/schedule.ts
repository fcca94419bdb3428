import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import { isKnownTimeZone } from '../../../services/workflow/zoned-time.ts';
import {
  CommentSchema,
  conditionalSentence,
  transitionSentence,
  workflowHandler,
  workflowRequest,
  workflowResponses,
  workflowRouteBase,
} from './workflow-route.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../../lib/date-time.ts';

const ScheduleContentBodySchema = z
  .object({
    scheduledAt: dateTimeSchema({ local: true }).openapi({
      description:
        'When to publish: an instant with an offset (`2030-12-01T09:00:00Z`, `2030-12-01T09:00:00+01:00`), ' +
        `or a local date-time without offset (\`2030-12-01T09:00:00\`) together with timeZone. ${DATE_TIME_BOUNDS}`,
      example: '2030-12-01T09:00:00',
    }),
    timeZone: z
      .string()
      .max(64)
      .refine(isKnownTimeZone, {
        error: (issue) => `unknown time zone ${JSON.stringify(issue.input)}; use an IANA name such as Europe/London`,
      })
      .optional()
      .openapi({
        description:
          'IANA time zone of a local scheduledAt. With an offset scheduledAt it is optional, and the offset ' +
          'must be the zone\u2019s at that instant (422 otherwise).',
        example: 'Europe/London',
      }),
    comment: CommentSchema.optional(),
  })
  .strict()
  .openapi('ScheduleContent');

export const scheduleContentRoute = createRoute({
  ...workflowRouteBase('schedule'),
  operationId: 'scheduleContent',
  summary: 'Schedule publication',
  description: [
    transitionSentence('schedule'),
    'Stores the UTC instant; the scheduler publishes the item then, if it has not changed since ' +
      '(scheduledVersion) and the approval gates still pass. Scheduling again replaces the schedule.',
    'A local time is converted with the zone\u2019s rules for that date, daylight saving included: a ' +
      'time the clocks skip (spring forward) is 422 nonexistent_local_time; a time that happens twice ' +
      '(fall back) means the earlier of the two.',
    'An unknown time zone or a local time without timeZone is 400; a time not in the future is 422 ' +
      'schedule_in_past; failed approval gates are 422 naming the gate.',
    conditionalSentence('schedule'),
  ].join(' '),
  request: workflowRequest('schedule', ScheduleContentBodySchema, true),
  responses: workflowResponses(422, 428),
});

export function registerScheduleContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(scheduleContentRoute, workflowHandler('schedule'));
}
