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

export const submitContentRoute = createRoute({
  ...workflowRouteBase('submit'),
  operationId: 'submitContent',
  summary: 'Submit content for approval',
  description: [
    transitionSentence('submit'),
    'Follows the edit rule: content.update submits any item, content.update_own only the caller\u2019s own (403 otherwise).',
    conditionalSentence('submit'),
  ].join(' '),
  request: workflowRequest('submit', OptionalCommentBodySchema, false),
  responses: workflowResponses(),
});

export function registerSubmitContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(submitContentRoute, workflowHandler('submit'));
}
