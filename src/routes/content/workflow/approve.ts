import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../../app-env.ts';
import {
  CONDITIONAL_SENTENCE,
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
    'Never by the item\u2019s creator (403 cannot_approve_own), whatever the role.',
    'The approval gates must pass: compliance approved and a quality score at or above the ' +
      'organization\u2019s threshold; otherwise 422 naming each failed gate (gate_compliance, ' +
      'gate_quality, or gates_not_met for both).',
    CONDITIONAL_SENTENCE,
  ].join(' '),
  request: workflowRequest(OptionalCommentBodySchema, false),
  responses: workflowResponses(422),
});

export function registerApproveContent(app: OpenAPIHono<AppEnv>) {
  app.openapi(approveContentRoute, workflowHandler('approve'));
}
