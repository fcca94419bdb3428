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

export const restoreContentRoute = createRoute({
  ...workflowRouteBase('restore'),
  operationId: 'restoreContent',
  summary: 'Restore archived content',
  description: [
    transitionSentence('restore'),
    'The item comes back as a draft to be reviewed again: compliance is reset to pending and the text is ' +
      'screened against the organization\u2019s current policy (a prohibited phrase flags it).',
    conditionalSentence('restore'),
  ].join(' '),
  request: workflowRequest('restore', OptionalCommentBodySchema, false),
  responses: workflowResponses(),
});

export function registerRestoreContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(restoreContentRoute, workflowHandler('restore'));
}
