import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { verifyAuditChain } from '../../services/audit-log/verify-audit-chain.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { problemResponses } from '../shared/problem-schema.ts';

const hash = z.string().regex(/^[0-9a-f]{64}$/);

const VerifyAuditLogQuerySchema = z
  .object({
    from: z.coerce
      .number()
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .default(1)
      .openapi({ description: 'First chain position to check: 1, or the `next` of the previous call.', example: 1 }),
    limit: z.coerce.number().int().min(1).max(100_000).optional().openapi({
      description:
        'Entries to check in this call; at most (and by default) the server limit AUDIT_VERIFY_MAX_ENTRIES (10,000).',
    }),
  })
  .strict();

const common = {
  from: z.number().int().openapi({ description: 'The first position checked.' }),
  checked: z.number().int().openapi({ description: 'Entries rehashed by this call.' }),
  head: z
    .object({ position: z.number().int(), hash })
    .openapi({ description: "The organization's last chain position and its hash, as read by this call." }),
};

const IntactSchema = z
  .object({
    intact: z.literal(true),
    ...common,
    next: z.number().int().nullable().openapi({
      description: 'Call again with `from` set to this to go on; null once the head was reached.',
    }),
  })
  .openapi('AuditChainIntact');

const BrokenSchema = z
  .object({
    intact: z.literal(false),
    ...common,
    firstBrokenPosition: z.number().int().openapi({ description: 'The first position whose link does not hold.' }),
    reason: z
      .enum(['entry_missing', 'link_mismatch', 'hash_mismatch', 'checkpoint_mismatch', 'head_mismatch'])
      .openapi({
        description:
          '`entry_missing`: no entry holds the position (deleted). `link_mismatch`: the entry does not point at the ' +
          "previous entry's hash. `hash_mismatch`: the entry was edited. `checkpoint_mismatch`: the entry differs from " +
          'what the periodic verification recorded. `head_mismatch`: the chain does not end where its head says.',
      }),
    entryId: z.number().int().nullable().openapi({ description: 'The audit entry at that position, if there is one.' }),
    expected: z.string().openapi({ description: 'The hash (hex) that should be there; a position for entry_missing.' }),
    found: z
      .string()
      .openapi({ description: 'The hash (hex) that is there; a position (or `none`) for entry_missing.' }),
  })
  .openapi('AuditChainBroken');

export const verifyAuditLogRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit-log/verify',
  operationId: 'verifyAuditLog',
  tags: ['Audit log'],
  summary: "Verify the audit log's hash chain",
  description:
    "Each organization's audit entries form a hash chain: every entry stores the previous entry's hash and a hash " +
    'of its own content over it, computed by the database as it is written. This rehashes the chain from `from`, ' +
    'a bounded number of entries per call (follow `next`), and reports either that it is intact or the first ' +
    'broken link: an entry edited, deleted or added behind the API. Requires audit.read (org_admin, super_admin).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('audit.read')] as const,
  request: { query: VerifyAuditLogQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 429),
    200: {
      description: 'The verdict for the entries checked',
      content: {
        'application/json': {
          schema: z.discriminatedUnion('intact', [IntactSchema, BrokenSchema]).openapi('AuditChainVerification'),
        },
      },
    },
  },
});

export function registerVerifyAuditLog(app: OpenAPIHono<AppEnv>) {
  app.openapi(verifyAuditLogRoute, async (c) => {
    const { from, limit } = c.req.valid('query');
    const result = await verifyAuditChain({ ctx: tenantContext(c), input: { from, limit } });
    const common = { from: result.from, checked: result.checked, head: result.head };
    if (!result.broken) return c.json({ intact: true as const, ...common, next: result.next }, 200);
    const { position, ...rest } = result.broken;
    return c.json({ intact: false as const, ...common, firstBrokenPosition: position, ...rest }, 200);
  });
}
