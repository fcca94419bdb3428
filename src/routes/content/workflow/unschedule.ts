import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import {
  conditionalSentence,
  OptionalCommentBodySchema,
  transitionSentence,
  workflowHandler,
  workflowRequest,
  workflowResponses,
  workflowRouteBase,
} from './workflow-route.ts';

export const unscheduleContentRoute = createRoute({
  ...workflowRouteBase('unschedule'),
  operationId: 'unscheduleContent',
  summary: 'Cancel scheduled publication',
  description: [
    transitionSentence('unschedule'),
    'Clears scheduledAt and any recorded schedule failure; the item stays approved. An approved item without a schedule is 409 not_scheduled.',
    conditionalSentence('unschedule'),
  ].join(' '),
  request: workflowRequest('unschedule', OptionalCommentBodySchema, false),
  responses: workflowResponses(),
});

export function registerUnscheduleContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(unscheduleContentRoute, workflowHandler('unschedule'));
}
