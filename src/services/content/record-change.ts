import type { Executor } from '../../db/executor.ts';
import { contentVersions, type Content } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { TenantContext } from '../container.ts';
import type { ContentEventType } from '../../events/content.ts';
import { enqueueEvent } from '../outbox/enqueue-event.ts';
import { contentSnapshot, versionSnapshot } from './content-rules.ts';

export interface ChangeRecord {
  /** Audit and version action: content.create, content.update, content.approve, … */
  action: string;
  event: ContentEventType;
  /** A comment or version message (reject reason, restore note). */
  message?: string | null;
  /** More to show in the audit row, e.g. the workflow transition `{ from, to }`. */
  audit?: Record<string, unknown>;
}

/**
 * Everything a content change leaves behind, in the caller's transaction: the full snapshot as a
 * version, the audit row, and the domain event in the outbox. All commit with the change or none do.
 */
export async function recordContentChange(
  tx: Executor,
  ctx: TenantContext,
  before: Content | null,
  after: Content,
  change: ChangeRecord,
): Promise<string> {
  await tx.insert(contentVersions).values({
    contentId: after.id,
    version: after.version,
    organizationId: after.organizationId,
    action: change.action,
    snapshot: versionSnapshot(after),
    authorType: ctx.actor.type,
    authorId: ctx.actor.id,
    message: change.message ?? null,
  });
  const eventId = await enqueueEvent(tx, ctx, change.event, {
    contentId: after.id,
    version: after.version,
    status: after.status,
    publishedVersion: after.publishedVersion,
    ...(change.message ? { comment: change.message } : {}),
  });
  // Last before commit: the audit insert locks the organization's chain head until the transaction ends
  // (docs/decisions/0030), so the fewer round trips after it, the less concurrent writers of the organization wait.
  await recordAudit(tx, ctx, {
    action: change.action,
    entityType: 'content',
    entityId: after.id,
    before: before ? contentSnapshot(before) : null,
    after: {
      ...contentSnapshot(after),
      ...(before ? {} : { creatorId: after.creatorId }),
      ...(change.message ? { comment: change.message } : {}),
      ...change.audit,
    },
  });
  return eventId;
}
