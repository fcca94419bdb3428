import { DomainError } from '../../lib/errors.ts';

export const MAX_COMMENT_LENGTH = 2000;

/**
 * A reviewer's comment or note, trimmed, as stored with the version and in the audit row; null when none.
 * `requiredBecause` says why this one may not be left out (a rejection, a flag), or null when it may.
 */
export function reviewText(
  value: string | undefined,
  field: 'comment' | 'note',
  requiredBecause: string | null,
): string | null {
  const text = value?.trim() ?? '';
  if (text.length > MAX_COMMENT_LENGTH) {
    throw new DomainError('validation', `${field} is longer than ${MAX_COMMENT_LENGTH} characters.`, {
      code: 'validation_failed',
      fields: [{ path: `body.${field}`, message: `at most ${MAX_COMMENT_LENGTH} characters`, code: 'too_big' }],
    });
  }
  if (text === '' && requiredBecause !== null) {
    throw new DomainError('validation', `${field} is ${requiredBecause}.`, {
      code: 'validation_failed',
      fields: [{ path: `body.${field}`, message: requiredBecause, code: 'invalid_type' }],
    });
  }
  return text === '' ? null : text;
}
