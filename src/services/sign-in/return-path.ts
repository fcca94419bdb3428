import { DomainError } from '../../lib/errors.ts';

/** Where a browser lands after signing in when the login link named nowhere: who it is signed in as. */
export const DEFAULT_RETURN_PATH = '/api/v1/me';
const MAX_RETURN_TO = 2048;

/**
 * `return_to` may only name a path on this origin (an open redirect would hand the freshly signed-in browser
 * to anyone). Resolving it against our origin and comparing origins catches `//host`, `/\host`, tabs and
 * newlines that URL parsers drop, and schemes; what is kept is the parser's own rendering of the path.
 */
export function safeReturnPath(raw: string | undefined, origin: string): string {
  if (raw === undefined || raw === '') return DEFAULT_RETURN_PATH;
  const refuse = (message: string) =>
    new DomainError('validation', `The request query failed validation: query.return_to ${message}.`, {
      code: 'validation_failed',
      fields: [{ path: 'query.return_to', message, code: 'invalid_return_to' }],
    });
  if (raw.length > MAX_RETURN_TO) throw refuse(`must be at most ${MAX_RETURN_TO} characters`);
  if (!raw.startsWith('/')) throw refuse('must be a path on this site, starting with /');
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    throw refuse('must be a path on this site');
  }
  if (url.origin !== origin) throw refuse('must be a path on this site');
  return `${url.pathname}${url.search}${url.hash}`;
}
