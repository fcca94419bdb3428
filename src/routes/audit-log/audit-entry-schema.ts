import { z } from '@hono/zod-openapi';
import type { AuditEntry } from '../../db/schema/index.ts';

const snapshot = z.record(z.string(), z.unknown());

export const AuditEntrySchema = z
  .object({
    id: z.number().int().openapi({ description: 'Increasing with insertion order.', example: 4211 }),
    occurredAt: z.string().openapi({ format: 'date-time' }),
    actor: z
      .object({
        type: z.enum(['user', 'api_key', 'system']),
        id: z
          .uuid()
          .nullable()
          .openapi({ description: 'The user or API key id; null for the platform itself (cron, queues).' }),
      })
      .openapi({ description: 'Who made the change.' }),
    action: z.string().openapi({ description: '`<entity>.<verb>`', example: 'content.update' }),
    entity: z
      .object({ type: z.string().openapi({ example: 'content' }), id: z.string() })
      .openapi({ description: 'What was changed.' }),
    requestId: z.string().nullable().openapi({ description: 'The X-Request-Id of the request that made the change.' }),
    ip: z.string().nullable().openapi({ description: 'Client address as Cloudflare saw it.' }),
    userAgent: z.string().nullable(),
    changes: z.object({ before: snapshot, after: snapshot }).openapi({
      description:
        'Changed fields only: values before and after (empty before for a create). Secrets are never recorded.',
    }),
  })
  .openapi('AuditEntry');

export type AuditEntryResource = z.infer<typeof AuditEntrySchema>;

const actorTypes = new Set(['user', 'api_key', 'system'] as const);
const isActorType = (value: string): value is AuditEntryResource['actor']['type'] =>
  actorTypes.has(value as AuditEntryResource['actor']['type']);

export function toAuditEntryResource(entry: AuditEntry): AuditEntryResource {
  if (!isActorType(entry.actorType)) throw new Error(`audit_log ${entry.id} has unknown actor type ${entry.actorType}`);
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actor: { type: entry.actorType, id: entry.actorId },
    action: entry.action,
    entity: { type: entry.entityType, id: entry.entityId },
    requestId: entry.requestId,
    ip: entry.ip,
    userAgent: entry.userAgent,
    changes: entry.changes,
  };
}
