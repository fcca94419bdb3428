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
