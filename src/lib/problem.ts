import type { FieldError } from './errors.ts';

/** RFC 9457 problem details, the single error shape of the API. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  requestId: string;
  instance?: string;
  errors: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable identifier per error code; documented in docs/decisions/0003-error-model.md. */
export const problemType = (code: string) => `https://contentos.dev/problems/${code}`;

export interface ProblemInit {
  status: number;
  code: string;
  title: string;
  detail: string;
  requestId: string;
  instance?: string;
  errors?: FieldError[];
  headers?: Record<string, string>;
}

export function problemResponse(init: ProblemInit): Response {
  const body: Problem = {
    type: problemType(init.code),
    title: init.title,
    status: init.status,
    detail: init.detail,
    code: init.code,
    requestId: init.requestId,
    ...(init.instance ? { instance: init.instance } : {}),
    errors: init.errors ?? [],
  };
  return new Response(JSON.stringify(body), {
    status: init.status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...init.headers },
  });
}
