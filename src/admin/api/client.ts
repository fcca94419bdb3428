/**
 * The admin app's only way to the API: openapi-fetch over the types generated from /openapi.json
 * (schema.gen.ts, `npm run api:client`), so a renamed field or route fails the typecheck, not a user.
 *
 * Requests carry the browser session cookie; changes also need `X-CSRF: 1` (with the Origin the browser adds),
 * see docs/decisions/0035. A super_admin looking at another organization sends X-Organization-Id.
 */
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.gen.ts';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/** A failed call: the problem+json the API answered (or one made up for a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

let organizationOverride: string | null = null;

/** Which organization a super_admin is acting in (null: their own). Set by the org switcher. */
export function setOrganizationOverride(organizationId: string | null) {
  organizationOverride = organizationId;
}

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });

api.use({
  onRequest({ request }) {
    request.headers.set('X-CSRF', '1');
    if (organizationOverride) request.headers.set('X-Organization-Id', organizationOverride);
    return request;
  },
  onResponse({ response }) {
    // The session ended (idle, signed out elsewhere, revoked): the shell offers to sign in again, keeping the page.
    if (response.status === 401) window.dispatchEvent(new CustomEvent('cos:unauthenticated'));
    return response;
  },
});

function asProblem(status: number, body: unknown, response: Response): Problem {
  if (body && typeof body === 'object' && 'title' in body && 'status' in body) return body as Problem;
  return {
    type: 'about:blank',
    title: status === 0 ? 'Network error' : response.statusText || 'Request failed',
    status,
    detail: status === 0 ? 'The API could not be reached. Check your connection and retry.' : String(body ?? ''),
    code: status === 0 ? 'network_error' : 'unexpected_response',
    requestId: response.headers.get('x-request-id') ?? '',
    errors: [],
  };
}

/** The body of a successful call, or an ApiError carrying the problem+json. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(result.response.status, asProblem(result.response.status, result.error, result.response));
  }
  return result.data as T;
}

/** A weak ETag as the API sends it, for If-Match. */
export const etagOf = (response: Response) => response.headers.get('etag') ?? undefined;
