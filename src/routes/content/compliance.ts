import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { MAX_COMMENT_LENGTH } from '../../services/workflow/review-text.ts';
import { reviewCompliance } from '../../services/workflow/review-compliance.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { IdParamSchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { etagOf, ifMatchPrecondition } from '../shared/conditional.ts';
import { ContentSchema, ETagHeaderSchema, RequiredIfMatchHeaderSchema, toContentResource } from './schemas.ts';

const ComplianceReviewBodySchema = z
  .object({
    status: z.enum(['approved', 'flagged', 'rejected']).openapi({ description: 'The verdict on the current text.' }),
    note: z
      .string()
      .trim()
      .min(1)
      .max(MAX_COMMENT_LENGTH)
      .optional()
      .openapi({
        description: `Why (1–${MAX_COMMENT_LENGTH} characters): required for flagged and rejected, optional for approved.`,
        example: 'Performance claim lacks the required disclaimer.',
      }),
  })
  .strict()
  .refine((body) => body.status === 'approved' || body.note !== undefined, {
    path: ['note'],
    message: 'required when status is flagged or rejected',
  })
  .openapi('ComplianceReview');

export const reviewContentComplianceRoute = createRoute({
  method: 'put',
  path: '/api/v1/content/{id}/compliance',
  operationId: 'reviewContentCompliance',
  tags: ['Content'],
  summary: 'Review compliance',
  description: [
    'Records a compliance verdict on the current text (complianceStatus and complianceNote). Requires ' +
      'content.approve; never by the item\u2019s creator, nor by anyone who wrote a version of it since it was ' +
      'last approved (403 cannot_review_own).',
    'It does not change the workflow status: approval, publication and scheduling check it (approval gates). Any later edit resets it to pending.',
    'Archived content is 409. If-Match is required: the ETag of the version you reviewed (missing or `*` → ' +
      '428 precondition_required; the item moved on → 412). A success is a new version (ETag), an audit ' +
      'entry (content.compliance) and a content.compliance_reviewed event.',
  ].join(' '),
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('content.approve')] as const,
  request: {
    params: IdParamSchema,
    headers: RequiredIfMatchHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: ComplianceReviewBodySchema } } },
  },
  responses: {
    ...problemResponses(400, 401, 403, 404, 409, 412, 415, 428, 429),
    200: {
      description: 'The reviewed item',
      headers: z.object({ ETag: ETagHeaderSchema }),
      content: { 'application/json': { schema: ContentSchema } },
    },
  },
});

export function registerReviewContentCompliance(app: OpenAPIHono<AppEnv>) {
  app.openapi(reviewContentComplianceRoute, async (c) => {
    const ifMatch = ifMatchPrecondition(c.req.valid('header')['if-match']);
    const item = await reviewCompliance({
      ctx: tenantContext(c),
      input: { ...c.req.valid('param'), ...c.req.valid('json'), ifMatch },
    });
    c.header('etag', etagOf(item.version));
    return c.json(toContentResource(item), 200);
  });
}
