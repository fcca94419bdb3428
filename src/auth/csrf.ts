import { DomainError } from '../lib/errors.ts';

/** Methods that change nothing, so a forged one gains an attacker nothing. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The header the admin app sends on every cookie-authenticated change; a form or a simple fetch cannot. */
export const CSRF_HEADER = 'x-csrf';

const refuse = (detail: string) => new DomainError('forbidden', detail, { code: 'csrf_check_failed' });

/**
 * A cookie rides along on requests other sites make, so a change authenticated by one must show it comes
 * from this site: the browser's Origin (or, where it sends none, Sec-Fetch-Site) says where the request
 * was made, and a custom header cannot be added cross-site without a CORS preflight this API never grants.
 * Either alone is the usual defence; both together leave nothing to an old browser's quirks.
 */
export function assertSameSiteRequest(request: {
  method: string;
  url: string;
  header(name: string): string | undefined;
}): void {
  if (SAFE_METHODS.has(request.method)) return;
  const origin = request.header('origin');
  if (origin !== undefined) {
    if (origin !== new URL(request.url).origin)
      throw refuse(`A request from ${origin.slice(0, 200)} may not use this site's session cookie.`);
  } else if (request.header('sec-fetch-site') !== 'same-origin') {
    throw refuse('A change made with the session cookie must carry an Origin header of this site.');
  }
  if (request.header(CSRF_HEADER) !== '1') {
    throw refuse('A change made with the session cookie must carry the header `X-CSRF: 1`.');
  }
}
