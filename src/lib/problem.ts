import { ERROR_CODES, type ErrorCode } from './error-codes.ts';
import type { FieldError } from './errors.ts';

/** RFC 9457 problem details, the single error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  instance?: string;
  errors: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a code is explained: this API's own GET /problems/{code}, so the `type` URI resolves (ADR 0022). */
export const PROBLEMS_PATH = '/problems';
export const problemType = (origin: string, code: ErrorCode) => `${origin}${PROBLEMS_PATH}/${code}`;

export interface ProblemInit {
  /** Status and title come from the code's catalogue entry, so a response always matches its /problems page. */
  code: ErrorCode;
  detail: string;
  requestId: string;
  /** Origin (scheme://host) of the request, which the absolute `type` URI is built on. */
  origin: string;
  instance?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
  /** RFC 9457 extension members, after the standard ones (which they cannot replace). */
  extensions?: Record<string, unknown>;
}

export function problemResponse(init: ProblemInit): Response {
  const { status, title } = ERROR_CODES[init.code];
  const standard: Problem = {
    type: problemType(init.origin, init.code),
    title,
    status,
    detail: init.detail,
    code: init.code,
    requestId: init.requestId,
    ...(init.instance ? { instance: init.instance } : {}),
    errors: init.errors ?? [],
  };
  const extensions = Object.entries(init.extensions ?? {}).filter(([key]) => !Object.hasOwn(standard, key));
  const body = extensions.length > 0 ? { ...standard, ...Object.fromEntries(extensions) } : standard;
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...init.headers },
  });
}
