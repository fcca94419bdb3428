import type { Actor } from '../../auth/principal.ts';
import { canEditContent } from '../../auth/permissions.ts';
import type { Content, ContentType } from '../../db/schema/index.ts';
import { assertInstantInRange } from '../../lib/date-time.ts';
import { DomainError } from '../../lib/errors.ts';

/** What a client may write; everything else on an item is owned by the server and its workflows. */
export interface EditableContent {
  type: ContentType;
  title: string;
  body: string;
  platforms: string[];
  scheduledAt: Date | null;
}

export type ContentChanges = Partial<EditableContent>;

/** Duplicates are dropped (first occurrence wins); content that goes nowhere is not content. */
export function normalizePlatforms(platforms: readonly string[]): string[] {
  const unique = [...new Set(platforms)];
  if (unique.length === 0) {
    throw new DomainError('rule_violation', 'Content must target at least one platform.', {
      code: 'platforms_required',
      fields: [{ path: 'body.platforms', message: 'at least one platform is required', code: 'platforms_required' }],
    });
  }
  return unique;
}

/**
 * A schedule is a promise to publish later; one in the past could only mean "publish now", which is a workflow step.
 * One beyond the latest instant the API accepts could not be stored (400).
 */
export function assertScheduleInFuture(scheduledAt: Date | null | undefined, now = Date.now()): void {
  if (!scheduledAt) return;
  assertInstantInRange(scheduledAt.getTime(), 'body.scheduledAt');
  if (scheduledAt.getTime() > now) return;
  throw new DomainError('rule_violation', `scheduledAt ${scheduledAt.toISOString()} is not in the future.`, {
    code: 'schedule_in_past',
    fields: [{ path: 'body.scheduledAt', message: 'must be in the future', code: 'schedule_in_past' }],
  });
}

/** The changes as they will be stored, with every rule applied; fields left out stay out. */
export function applyContentRules(changes: ContentChanges): ContentChanges {
  assertScheduleInFuture(changes.scheduledAt);
  return {
    ...changes,
    ...(changes.platforms !== undefined ? { platforms: normalizePlatforms(changes.platforms) } : {}),
  };
}

/** The specification's PUT rule, "owner or editor": content.update for any item, content.update_own for one's own. */
export function assertMayEdit(actor: Actor, item: Pick<Content, 'creatorId'>): void {
  if (actor.type === 'system' || canEditContent(actor.permissions, item.creatorId === actor.userId)) return;
  const message =
    actor.type === 'api_key'
      ? 'This API key may only edit content its creator created.'
      : `The ${actor.role} role may only edit content it created.`;
  throw new DomainError('forbidden', message, { code: 'not_content_owner' });
}

/** Archived content is out of circulation; it is kept for the record, not edited. */
export function assertNotArchived(item: Pick<Content, 'status'>): void {
  if (item.status !== 'archived') return;
  throw new DomainError('conflict', 'The content is archived; archived content cannot be edited.', {
    code: 'content_archived',
  });
}

/** What an audit row shows of an item: what people and workflows change, never timestamps. */
export const contentSnapshot = (item: Content) => ({
  type: item.type,
  title: item.title,
  body: item.body,
  platforms: item.platforms,
  status: item.status,
  complianceStatus: item.complianceStatus,
  qualityScore: item.qualityScore,
  scheduledAt: item.scheduledAt,
  publishedVersion: item.publishedVersion,
  version: item.version,
});

/** A version is the whole item as it stood after a change: enough to show, diff, restore or publish it. */
export const versionSnapshot = (item: Content): Record<string, unknown> => ({
  type: item.type,
  title: item.title,
  body: item.body,
  platforms: item.platforms,
  status: item.status,
  qualityScore: item.qualityScore,
  qualityBreakdown: item.qualityBreakdown,
  complianceStatus: item.complianceStatus,
  complianceNote: item.complianceNote,
  scheduledAt: item.scheduledAt?.toISOString() ?? null,
  publishedAt: item.publishedAt?.toISOString() ?? null,
  publishedVersion: item.publishedVersion,
  creatorId: item.creatorId,
  version: item.version,
});
