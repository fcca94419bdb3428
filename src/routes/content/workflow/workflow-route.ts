import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../app-env.ts';
import { runWorkflowAction } from '../../../services/workflow/run-workflow-action.ts';
import { MAX_COMMENT_LENGTH } from '../../../services/workflow/review-text.ts';
import { transitions, type WorkflowAction } from '../../../services/workflow/transitions.ts';
import { requirePermission, tenantContext } from '../../shared/guard.ts';
import { IdempotencyHeaderSchema, IdParamSchema } from '../../shared/params.ts';
import { problemResponses, type ProblemStatus } from '../../shared/problem-schema.ts';
import { etagOf, ifMatchPrecondition } from '../../shared/conditional.ts';
import {
  ContentSchema,
  ETagHeaderSchema,
  IfMatchHeaderSchema,
  RequiredIfMatchHeaderSchema,
  toContentResource,
} from '../schemas.ts';

/** The pieces every workflow operation shares; each operation's own file says what its action means. */

export const CommentSchema = z
  .string()
  .trim()
  .min(1)
  .max(MAX_COMMENT_LENGTH)
  .openapi({
    description: `Why (1–${MAX_COMMENT_LENGTH} characters): stored as the version message and in the audit log.`,
    example: 'Figures checked against the central bank release.',
  });

export const OptionalCommentBodySchema = z
  .object({ comment: CommentSchema.optional() })
  .strict()
  .openapi('WorkflowComment', { description: 'Optional; the request may also have no body at all.' });

const WorkflowHeadersSchema = IfMatchHeaderSchema.extend(IdempotencyHeaderSchema.shape);
const SignOffHeadersSchema = RequiredIfMatchHeaderSchema.extend(IdempotencyHeaderSchema.shape);

/** POST /api/v1/content/{id}/<action>, guarded by the transition table's permissions for it. */
export function workflowRouteBase<A extends WorkflowAction>(action: A) {
  return {
    method: 'post' as const,
    path: `/api/v1/content/{id}/${action}` as const,
    tags: ['Content'],
    security: [{ bearerAuth: [] }],
    middleware: [requirePermission(...transitions[action].permissions)],
  };
}

/** Whether the item moves from its status is the transition table's to say; in descriptions too. */
export function transitionSentence(action: WorkflowAction): string {
  const { from, to, permissions } = transitions[action];
  return (
    `Moves the item from ${from.join(' or ')} to ${to}; from any other status 409 names the current ` +
    `status and the allowed actions. Requires ${permissions.join(' or ')}.`
  );
}

/** Whether If-Match is optional or required (a sign-off) is the transition table's to say, as for the service. */
export function conditionalSentence(action: WorkflowAction): string {
  const outcome = 'A success is a new version (ETag), an audit entry and an outbox event.';
  if (!transitions[action].requiresVersion)
    return `Send If-Match with the ETag you read to act only on that version (412 otherwise). ${outcome}`;
  return (
    'If-Match is required: the ETag of the version you reviewed, so an edit made since is never signed off ' +
    `unseen (missing or \`*\` → 428 precondition_required; the item moved on → 412). ${outcome}`
  );
}

export function workflowRequest<S extends z.ZodType>(action: WorkflowAction, body: S, required: boolean) {
  return {
    params: IdParamSchema,
    headers: transitions[action].requiresVersion ? SignOffHeadersSchema : WorkflowHeadersSchema,
    body: { required, content: { 'application/json': { schema: body } } },
  };
}

/** The error responses of a workflow operation: the shared ones and the operation's own (428 for a sign-off). */
export function workflowResponses<S extends ProblemStatus = never>(...extra: S[]) {
  return {
    ...problemResponses<400 | 401 | 403 | 404 | 409 | 412 | 415 | 429 | S>(
      400,
      401,
      403,
      404,
      409,
      412,
      415,
      429,
      ...extra,
    ),
    200: {
      description: 'The item after the action',
      headers: z.object({ ETag: ETagHeaderSchema }),
      content: { 'application/json': { schema: ContentSchema } },
    },
  };
}

/** What a workflow operation's request carries, whichever body schema it declares. */
type WorkflowRequestContext = Context<
  AppEnv,
  string,
  {
    out: {
      param: { id: string };
      header: { 'if-match'?: string | undefined };
      json: { comment?: string | undefined; scheduledAt?: string | undefined; timeZone?: string | undefined };
    };
  }
>;

/** The handler of every workflow operation: the request as service input, the item and its ETag back. */
export function workflowHandler(action: WorkflowAction) {
  return async (c: WorkflowRequestContext) => {
    const ifMatch = ifMatchPrecondition(c.req.valid('header')['if-match']);
    const item = await runWorkflowAction({
      ctx: tenantContext(c),
      input: { ...c.req.valid('json'), ...c.req.valid('param'), ifMatch, action },
    });
    c.header('etag', etagOf(item.version));
    return c.json(toContentResource(item), 200);
  };
}
