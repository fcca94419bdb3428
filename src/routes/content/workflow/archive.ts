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

export const archiveContentViaWorkflowRoute = createRoute({
  ...workflowRouteBase('archive'),
  operationId: 'archiveContentViaWorkflow',
  summary: 'Archive content (workflow action)',
  description: [
    transitionSentence('archive'),
    'Same effect as DELETE /api/v1/content/{id} (off the delivery API, schedule cleared), as a workflow ' +
      'step with an optional comment; unlike DELETE, archiving an archived item is 409.',
    conditionalSentence('archive'),
  ].join(' '),
  request: workflowRequest('archive', OptionalCommentBodySchema, false),
  responses: workflowResponses(),
});

export function registerArchiveContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(archiveContentViaWorkflowRoute, workflowHandler('archive'));
}
