import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { assertCan } from '../../auth/assert.ts';
import { auditLog, type AuditEntry } from '../../db/schema/index.ts';
import { selectPage } from '../../db/pagination.ts';
import type { TenantContext } from '../container.ts';
import { assertTimeRange, endOfMillisecond } from '../../lib/time-range.ts';

export interface ListAuditLogInput {
  page: number;
  limit: number;
  actorId: string | undefined;
  /** An exact action (`content.update`) or a prefix ending in `.*` (`content.*`). */
  action: string | undefined;
  entityType: string | undefined;
  entityId: string | undefined;
  from: Date | undefined;
  to: Date | undefined;
}

const PREFIX_WILDCARD = '.*';

function actionCondition(action: string): SQL {
  if (!action.endsWith(PREFIX_WILDCARD)) return eq(auditLog.action, action);
  // starts_with rather than LIKE: action names contain "_", which LIKE would read as a wildcard.
  return sql`starts_with(${auditLog.action}, ${action.slice(0, -1)})`;
}

/** Newest first; the id breaks ties between entries of the same instant (one transaction's rows). */
export async function listAuditLog({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: ListAuditLogInput;
}): Promise<{ items: AuditEntry[]; total: number }> {
  assertCan(ctx.actor, 'audit.read');
  assertTimeRange(input.from, input.to);
  const end = input.to && endOfMillisecond(input.to);
  const where = and(
    eq(auditLog.organizationId, ctx.organizationId),
    input.actorId ? eq(auditLog.actorId, input.actorId) : undefined,
    input.action ? actionCondition(input.action) : undefined,
    input.entityType ? eq(auditLog.entityType, input.entityType) : undefined,
    input.entityId ? eq(auditLog.entityId, input.entityId) : undefined,
    input.from ? gte(auditLog.occurredAt, input.from) : undefined,
    end ? lt(auditLog.occurredAt, end) : undefined,
  );
  const { db } = ctx.services;
  return selectPage(db, auditLog, where, [desc(auditLog.occurredAt), desc(auditLog.id)], input);
}
