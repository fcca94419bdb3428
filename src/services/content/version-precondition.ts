import type { Actor } from '../../auth/principal.ts';
import { DomainError } from '../../lib/errors.ts';

/** What the client believes the current version is: any existing version, or one of these. */
export type VersionPrecondition = '*' | readonly number[];

export function assertVersionMatches(precondition: VersionPrecondition | undefined, current: number): void {
  if (precondition === undefined || precondition === '*' || precondition.includes(current)) return;
  throw new DomainError(
    'precondition_failed',
    `The content is at version ${current} (ETag "${current}"); If-Match did not match. Read it again and retry.`,
    {
      code: 'precondition_failed',
    },
  );
}

/**
 * A sign-off (approve, publish, schedule, compliance review) is a judgement on the text the person read, so
 * they must say which version that was: otherwise an edit landing between their read and their action is
 * signed off unseen. `*` names no version and does not count. The platform (cron) acts on the row it has
 * claimed and read in the same transaction, so it has no such gap.
 */
export function assertVersionNamed(actor: Actor, precondition: VersionPrecondition | undefined, doing: string): void {
  if (actor.type === 'system' || (precondition !== undefined && precondition !== '*')) return;
  throw new DomainError(
    'precondition_required',
    `Send If-Match with the ETag of the version you reviewed (e.g. "3") to ${doing}; ` +
      `${precondition === '*' ? '`*` names no version' : 'it is required here'}.`,
    {
      code: 'precondition_required',
      fields: [{ path: 'header.if-match', message: 'required: the ETag you read', code: 'precondition_required' }],
    },
  );
}
