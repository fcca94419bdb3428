import { assertCan } from '../../auth/assert.ts';
import { can } from '../../auth/permissions.ts';
import type { Content } from '../../db/schema/index.ts';
import { DomainError } from '../../lib/errors.ts';
import type { TenantContext } from '../container.ts';
import { applyContentRules, assertMayEdit, assertNotArchived, type ContentChanges } from './content-rules.ts';
import { assertVersionMatches, type VersionPrecondition } from './version-precondition.ts';
import { loadEditorialPolicy } from '../organizations/policy.ts';
import { screenedFields, statusAfterEdit } from './screen-on-save.ts';
import { writeVersioned } from './versioned-write.ts';

export interface UpdateContentInput {
  id: string;
  changes: ContentChanges;
  ifMatch?: VersionPrecondition | undefined;
}

/**
 * Checks in the order a client can act on them: exists (404), may edit it (403), still the version the
 * client read (412), not archived (409), the new values follow the rules (422). Every success is a new version.
 */
export async function updateContent({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: UpdateContentInput;
}): Promise<Content> {
  // Either permission lets a role edit something; which items exactly is decided on the row (assertMayEdit).
  if (ctx.actor.type !== 'system' && !can(ctx.actor.permissions, 'content.update'))
    assertCan(ctx.actor, 'content.update_own');
  if (Object.values(input.changes).every((value) => value === undefined)) {
    throw new DomainError('validation', 'Send at least one editable field.', {
      code: 'validation_failed',
      fields: [{ path: 'body', message: 'send at least one editable field', code: 'custom' }],
    });
  }
  const { item } = await writeVersioned(ctx, input.id, async (current, tx) => {
    assertMayEdit(ctx.actor, current);
    assertVersionMatches(input.ifMatch, current.version);
    assertNotArchived(current);
    const changes = applyContentRules(input.changes);
    const text = {
      type: changes.type ?? current.type,
      title: changes.title ?? current.title,
      body: changes.body ?? current.body,
    };
    return {
      kind: 'write',
      set: {
        ...changes,
        ...screenedFields(text, await loadEditorialPolicy(tx, ctx.organizationId)),
        status: statusAfterEdit(current.status),
      },
      action: 'content.update',
      event: 'content.updated',
    };
  });
  return item;
}
