import { assertCan } from '../../auth/assert.ts';
import { can, type Action } from '../../auth/permissions.ts';
import type { Actor } from '../../auth/principal.ts';
import type { Content } from '../../db/schema/index.ts';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';

/** The service-side twin of a multi-action route guard: any one of the actions suffices. */
export function assertCanAny(actor: Actor, permissions: readonly [Action, ...Action[]]): void {
  if (actor.type === 'system' || permissions.some((action) => can(actor.permissions, action))) return;
  assertCan(actor, permissions[0]);
}

/**
 * Four eyes: whoever wrote an item (for an API key, the user who created the key) does not sign it off.
 * The platform itself (cron) is nobody's author.
 */
export function assertNotCreator(
  actor: Actor,
  item: Pick<Content, 'creatorId'>,
  what: { code: ErrorCodeOf<'forbidden'>; doing: string },
): void {
  if (actor.type === 'system' || actor.userId !== item.creatorId) return;
  throw new DomainError('forbidden', `You created this content, so you may not ${what.doing}; someone else must.`, {
    code: what.code,
  });
}
