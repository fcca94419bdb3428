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

export const publishContentRoute = createRoute({
  ...workflowRouteBase('publish'),
  operationId: 'publishContent',
  summary: 'Publish content now',
  description: [
    transitionSentence('publish'),
    'The new version becomes the one readers see (publishedVersion) and any schedule is cleared.',
    'The approval gates are checked again (a compliance review or a stricter policy since approval blocks it): 422 naming the failed gate.',
    conditionalSentence('publish'),
  ].join(' '),
  request: workflowRequest('publish', OptionalCommentBodySchema, false),
  responses: workflowResponses(422, 428),
});

export function registerPublishContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(publishContentRoute, workflowHandler('publish'));
}
