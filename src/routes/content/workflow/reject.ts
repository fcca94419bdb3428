import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import {
  CommentSchema,
  conditionalSentence,
  transitionSentence,
  workflowHandler,
  workflowRequest,
  workflowResponses,
  workflowRouteBase,
} from './workflow-route.ts';

const RejectContentBodySchema = z
  .object({
    comment: CommentSchema.openapi({ description: 'Required: what the author must change (1–2000 characters).' }),
  })
  .strict()
  .openapi('RejectContent');

export const rejectContentRoute = createRoute({
  ...workflowRouteBase('reject'),
  operationId: 'rejectContent',
  summary: 'Reject submitted content',
  description: [
    transitionSentence('reject'),
    'Sends the item back to its author as a draft; the comment is required (400 without it) and is kept with the new version and in the audit log.',
    conditionalSentence('reject'),
  ].join(' '),
  request: workflowRequest('reject', RejectContentBodySchema, true),
  responses: workflowResponses(),
});

export function registerRejectContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(rejectContentRoute, workflowHandler('reject'));
}
