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

export const unpublishContentRoute = createRoute({
  ...workflowRouteBase('unpublish'),
  operationId: 'unpublishContent',
  summary: 'Unpublish content',
  description: [
    transitionSentence('unpublish'),
    'Readers no longer see it (publishedVersion becomes null); publishedAt keeps when it was first published. It stays approved and can be published again.',
    conditionalSentence('unpublish'),
  ].join(' '),
  request: workflowRequest('unpublish', OptionalCommentBodySchema, false),
  responses: workflowResponses(),
});

export function registerUnpublishContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(unpublishContentRoute, workflowHandler('unpublish'));
}
