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

export const approveContentRoute = createRoute({
  ...workflowRouteBase('approve'),
  operationId: 'approveContent',
  summary: 'Approve content',
  description: [
    transitionSentence('approve'),
    'Never by the item\u2019s creator, nor by anyone who wrote a version of it (edit or version restore) since ' +
      'it was last approved (403 cannot_approve_own), whatever the role.',
    'The approval gates must pass: compliance approved and a quality score at or above the ' +
      'organization\u2019s threshold; otherwise 422 naming each failed gate (gate_compliance, ' +
      'gate_quality, or gates_not_met for both).',
    conditionalSentence('approve'),
  ].join(' '),
  request: workflowRequest('approve', OptionalCommentBodySchema, false),
  responses: workflowResponses(422, 428),
});

export function registerApproveContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(approveContentRoute, workflowHandler('approve'));
}
