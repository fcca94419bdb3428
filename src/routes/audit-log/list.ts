import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../app-env.ts';
import { listAuditLog } from '../../services/audit-log/list-audit-log.ts';
import { requirePermission, tenantContext } from '../shared/guard.ts';
import { pageBody, paginated, PaginationQuerySchema } from '../shared/params.ts';
import { problemResponses } from '../shared/problem-schema.ts';
import { AuditEntrySchema, toAuditEntryResource } from './audit-entry-schema.ts';
import { DATE_TIME_BOUNDS, dateTimeSchema } from '../../lib/date-time.ts';

// `entity.verb` exactly, or every action of a prefix with a trailing `.*`.
const ACTION_FILTER = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?$/;

const ListAuditLogQuerySchema = PaginationQuerySchema.extend({
  actor: z.uuid().optional().openapi({ description: 'Only changes by this user or API key id.' }),
  action: z
    .string()
    .max(100)
    .regex(ACTION_FILTER, 'must be an action such as content.update, or a prefix such as content.*')
    .optional()
    .openapi({
      description: 'An exact action (`content.update`), or a prefix ending in `.*` (`content.*`).',
      example: 'content.*',
    }),
  entityType: z.string().min(1).max(100).optional().openapi({ example: 'content' }),
  entityId: z.string().min(1).max(200).optional(),
  from: dateTimeSchema()
    .optional()
    .openapi({
      description: `Only entries at or after this instant. ${DATE_TIME_BOUNDS}`,
      example: '2026-01-01T00:00:00Z',
    }),
  to: dateTimeSchema()
    .optional()
    .openapi({
      description:
        'Only entries at or before this instant (inclusive to the millisecond); `from` after `to` is 422. ' +
        DATE_TIME_BOUNDS,
    }),
}).strict();

export const listAuditLogRoute = createRoute({
  method: 'get',
  path: '/api/v1/audit-log',
  operationId: 'listAuditLog',
  tags: ['Audit log'],
  summary: 'Read the audit log',
  description:
    'Every change in the organization — who, what, when, from which request — newest first. The ' +
    "log is append-only: entries cannot be edited or deleted, even by the database's application " +
    'role. Requires audit.read (org_admin, super_admin).',
  security: [{ bearerAuth: [] }],
  middleware: [requirePermission('audit.read')] as const,
  request: { query: ListAuditLogQuerySchema },
  responses: {
    ...problemResponses(400, 401, 403, 422, 429),
    200: {
      description: 'A page of entries',
      content: { 'application/json': { schema: paginated(AuditEntrySchema, 'AuditEntryList') } },
    },
  },
});

export function registerListAuditLog(app: OpenAPIHono<AppEnv>) {
  app.openapi(listAuditLogRoute, async (c) => {
    const { page, limit, actor, action, entityType, entityId, from, to } = c.req.valid('query');
    const { items, total } = await listAuditLog({
      ctx: tenantContext(c),
      input: {
        page,
        limit,
        actorId: actor,
        action,
        entityType,
        entityId,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
      },
    });
    return c.json(pageBody(items.map(toAuditEntryResource), { page, limit }, total), 200);
  });
}
