import { assertCan } from '../../auth/assert.ts';
import type { Content } from '../../db/schema/index.ts';
import type { TenantContext } from '../container.ts';
import { assertVersionMatches, type VersionPrecondition } from './version-precondition.ts';
import { archivedFields } from '../workflow/action-steps.ts';
import { writeVersioned } from './versioned-write.ts';

/**
 * Archiving is the API's delete: the item leaves circulation but stays for the record. Archiving an
 * archived item changes nothing and succeeds (a retried DELETE is safe), whatever its If-Match says,
 * as RFC 9110 §13.1.1 allows for a change that has already been applied.
 */
export async function archiveContent({
  ctx,
  input,
}: {
  ctx: TenantContext;
  input: { id: string; ifMatch?: VersionPrecondition | undefined };
}): Promise<{ item: Content; changed: boolean }> {
  assertCan(ctx.actor, 'content.archive');
  return writeVersioned(ctx, input.id, (current) => {
    if (current.status === 'archived') return { kind: 'unchanged' };
    assertVersionMatches(input.ifMatch, current.version);
    // Out of circulation means off the delivery API too, and no longer scheduled.
    return {
      kind: 'write',
      set: { status: 'archived', ...archivedFields },
      action: 'content.archive',
      event: 'content.archived',
    };
  });
}
