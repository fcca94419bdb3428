import { assertCan } from '../../auth/assert.ts';
import { can, type Action } from '../../auth/permissions.ts';
import type { Actor } from '../../auth/principal.ts';
import type { Content } from '../../db/schema/index.ts';
import type { Executor } from '../../db/executor.ts';
import type { ErrorCodeOf } from '../../lib/error-codes.ts';
import { DomainError } from '../../lib/errors.ts';
import { lastVersionAuthoredSinceApproval } from './authored-since-approval.ts';

/** The service-side twin of a multi-action route guard: any one of the actions suffices. */
export function assertCanAny(actor: Actor, permissions: readonly [Action, ...Action[]]): void {
  if (actor.type === 'system' || permissions.some((action) => can(actor.permissions, action))) return;
  assertCan(actor, permissions[0]);
}

export interface SignOff {
  /** The problem code: the same for both rules below, since both mean "your own work". */
  code: ErrorCodeOf<'forbidden'>;
  doing: string;
}

/**
 * Four eyes: whoever wrote an item (for an API key, the user who created the key) does not sign it off.
 * The platform itself (cron) is nobody's author.
 */
export function assertNotCreator(actor: Actor, item: Pick<Content, 'creatorId'>, what: SignOff): void {
  if (actor.type === 'system' || actor.userId !== item.creatorId) return;
  throw new DomainError('forbidden', `You created this content, so you may not ${what.doing}; someone else must.`, {
    code: what.code,
  });
}

/**
 * Four eyes for everyone who changed the text, not only its creator: otherwise anyone allowed to edit
 * others' work (an editor, an org_admin) could rewrite an item, submit it and sign it off alone. Only the
 * words written since the last approval count; what came before was reviewed by someone else then.
 */
export async function assertNotAuthorSinceApproval(
  tx: Executor,
  actor: Actor,
  item: Pick<Content, 'id' | 'organizationId'>,
  what: SignOff,
): Promise<void> {
  if (actor.type === 'system') return;
  const version = await lastVersionAuthoredSinceApproval(tx, item, actor.userId);
  if (version === null) return;
  throw new DomainError(
    'forbidden',
    `You wrote version ${version} of this content since it was last approved, so you may not ${what.doing}; ` +
      'someone else must.',
    { code: what.code, fields: [{ path: 'version', message: String(version), code: 'authored_version' }] },
  );
}

/** Both four-eyes rules, in the order they cost: the creator is on the row, the later authors need a query. */
export async function assertNotOwnWork(
  tx: Executor,
  actor: Actor,
  item: Pick<Content, 'id' | 'organizationId' | 'creatorId'>,
  what: SignOff,
): Promise<void> {
  assertNotCreator(actor, item, what);
  await assertNotAuthorSinceApproval(tx, actor, item, what);
}
