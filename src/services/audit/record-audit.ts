import type { Executor } from '../../db/executor.ts';
import { auditLog } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';

type Snapshot = Record<string, unknown>;

const comparable = (value: unknown) => JSON.stringify(value instanceof Date ? value.toISOString() : value);

/** Only what changed: for a create every field is "after", for a delete every field is "before". */
export function changedFields(before: Snapshot | null, after: Snapshot | null): { before: Snapshot; after: Snapshot } {
  const diff = { before: {} as Snapshot, after: {} as Snapshot };
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const key of keys) {
    const b = before?.[key];
    const a = after?.[key];
    if (comparable(b) === comparable(a)) continue;
    if (before) diff.before[key] = b ?? null;
    if (after) diff.after[key] = a ?? null;
  }
  return diff;
}

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  before: Snapshot | null;
  after: Snapshot | null;
}

/** Written with the change, in the same transaction: no change without its audit row, and no row without it. */
export async function recordAudit(tx: Executor, ctx: TenantContext, input: AuditInput): Promise<void> {
  await tx.insert(auditLog).values({
    organizationId: ctx.organizationId,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    requestId: ctx.requestId,
    ip: ctx.client.ip,
    userAgent: ctx.client.userAgent,
    changes: changedFields(input.before, input.after),
  });
}
