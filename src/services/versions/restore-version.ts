import { can } from '../../auth/permissions.ts';
import { assertCan } from '../../auth/assert.ts';
import { contentTypes, type Content, type ContentType } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { assertMayEdit, assertNotArchived, normalizePlatforms } from '../content/content-rules.ts';
import { screenedFields } from '../content/screen-on-save.ts';
import { assertVersionMatches, type VersionPrecondition } from '../content/version-precondition.ts';
import { writeVersioned } from '../content/versioned-write.ts';
import { loadEditorialPolicy } from '../organizations/policy.ts';
import { findVersion } from './find-version.ts';

export interface RestoreVersionInput {
  id: string;
  version: number;
  message?: string | undefined;
  ifMatch?: VersionPrecondition | undefined;
}

type RestoredFields = { type: ContentType; title: string; body: string; platforms: string[] };

/** The editable fields of a snapshot, or 422 when it lacks them (a snapshot older than the fields it would restore). */
function restorableFields(snapshot: Record<string, unknown>, version: number): RestoredFields {
  const { type, title, body, platforms } = snapshot;
  const valid =
    typeof type === 'string' &&
    (contentTypes as readonly string[]).includes(type) &&
    typeof title === 'string' &&
    title.length > 0 &&
    typeof body === 'string' &&
    Array.isArray(platforms) &&
    platforms.every((p) => typeof p === 'string');
  if (!valid)
    throw new DomainError(
      'rule_violation',
      `Version ${version} does not hold a complete type, title, body and platforms to restore.`,
      { code: 'version_not_restorable' },
    );
  return { type: type as ContentType, title, body, platforms: normalizePlatforms(platforms as string[]) };
}

/**
 * History is never rewritten: restoring version n writes a new version whose type, title, body and platforms
 * are n's. It is an edit like any other: same permissions (owner or content.update), text re-scored and
 * compliance reset (or flagged again), and the working copy goes back to draft for review, while the
 * published version, if any, stays live. The schedule is not part of the text and is left as it is.
 * Checks: may edit (403), version n exists (404), If-Match (412), not archived (409), restorable (422).
 */
export async function restoreVersion({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: RestoreVersionInput;
}): Promise<Content> {
  if (ctx.actor.type !== 'system' && !can(ctx.actor.permissions, 'content.update'))
    assertCan(ctx.actor, 'content.update_own');
  const { item } = await writeVersioned(ctx, input.id, async (current, tx) => {
    assertMayEdit(ctx.actor, current);
    const source = await findVersion(tx, ctx, current.id, input.version);
    assertVersionMatches(input.ifMatch, current.version);
    assertNotArchived(current);
    const fields = restorableFields(source.snapshot, input.version);
    return {
      kind: 'write',
      set: { ...fields, ...screenedFields(fields, await loadEditorialPolicy(tx, ctx.organizationId)), status: 'draft' },
      action: 'content.version_restore',
      event: 'content.updated',
      message: `restored from version ${input.version}${input.message ? `: ${input.message}` : ''}`,
      audit: { restoredFrom: input.version },
    };
  });
  return item;
}
