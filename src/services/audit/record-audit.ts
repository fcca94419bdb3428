import type { Executor } from '../../db/executor.ts';
import { sql, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { auditLog, type NewAuditEntry } from '../../db/schema/index.ts';
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

/** The row an audited change leaves: who, what, from where, and what changed. */
export function auditEntry(ctx: TenantContext, input: AuditInput): NewAuditEntry {
  return {
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
  };
}

/** Written with the change, in the same transaction: no change without its audit row, and no row without it. */
export async function recordAudit(tx: Executor, ctx: TenantContext, input: AuditInput): Promise<void> {
  await tx.insert(auditLog).values(auditEntry(ctx, input));
}

/**
 * The same row as `insert … select … from <changed>`, for a change made by a data-modifying CTE named
 * `changed`: one row per row the CTE returns, so the change and its audit row are one statement (one
 * round trip) and a change that matched nothing leaves none. `perRow` takes columns from each changed
 * row instead (when one statement changes several entities: each row names its own).
 */
export function auditRowsFor(
  changed: SQL,
  ctx: TenantContext,
  input: AuditInput,
  perRow: Partial<Record<'organizationId' | 'entityId' | 'changes', SQL>> = {},
): SQL {
  const fields = Object.entries(auditEntry(ctx, input)).filter(([, value]) => value !== undefined);
  const columns = fields.map(([key]) => auditLog[key as keyof NewAuditEntry] as PgColumn);
  const names = columns.map((column) => sql.identifier(column.name));
  // Parameters in a select list have no type of their own: each is cast to its column's.
  const values = fields.map(([key, value], i) => {
    const fromRow = perRow[key as keyof typeof perRow];
    return fromRow ?? sql`${sql.param(value, columns[i])}::${sql.raw(columns[i]!.getSQLType())}`;
  });
  return sql`insert into ${auditLog} (${sql.join(names, sql`, `)}) select ${sql.join(values, sql`, `)} from ${changed}`;
}
