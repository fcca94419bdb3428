import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { isDataException, isDatabaseUnavailable, sqlState } from '../db/errors.ts';
import { ConfigurationError } from '../config.ts';
import { DomainError, type FieldError } from './errors.ts';
import { problemResponse } from './problem.ts';
import { describe } from './logger.ts';

/**
 * The one place where errors become HTTP. A response's status and title come from its code's entry in
 * src/lib/error-codes.ts (for service errors, from the kind the code is catalogued with).
 */
export interface ErrorContext {
  requestId: string;
  path: string;
  /** Origin of the request: the problem `type` URI points at its /problems page. */
  origin: string;
  log: (level: 'warn' | 'error', msg: string, fields: Record<string, unknown>) => void;
}

/** Zod issue paths become dotted field paths prefixed by where the value came from (body, query, …). */
export function zodFieldErrors(error: ZodError, source: string): FieldError[] {
  return error.issues.flatMap((issue) => {
    const keys = 'keys' in issue && Array.isArray(issue.keys) ? issue.keys : [];
    // Unknown keys are reported once per key so the client sees every field it must drop.
    const path = [source, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys' && keys.length > 0) {
      return keys.map((key) => ({ path: `${path}.${key}`, message: `unknown field "${key}"`, code: issue.code }));
    }
    return [{ path, message: issue.message, code: issue.code }];
  });
}

// Hono names validation targets after its validators; clients think in parts of the HTTP request.
const SOURCE_NAMES: Record<string, string> = {
  json: 'body',
  form: 'body',
  param: 'path',
  query: 'query',
  header: 'header',
  cookie: 'cookie',
};

export function validationProblem(
  error: ZodError,
  target: string,
  ctx: Pick<ErrorContext, 'requestId' | 'path' | 'origin'>,
): Response {
  const source = SOURCE_NAMES[target] ?? target;
  const errors = zodFieldErrors(error, source);
  return problemResponse({
    code: 'validation_failed',
    detail: `The request ${source} failed validation: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`,
    requestId: ctx.requestId,
    origin: ctx.origin,
    instance: ctx.path,
    errors,
  });
}

/** `Bearer realm="contentos", k="v", …`: every value quoted (callers pass values without quotes or backslashes). */
const bearerChallenge = (params: Record<string, string>) =>
  ['Bearer realm="contentos"', ...Object.entries(params).map(([key, value]) => `${key}="${value}"`)].join(', ');

export function errorToProblem(err: unknown, ctx: ErrorContext): Response {
  if (err instanceof DomainError) {
    const headers: Record<string, string> = {};
    if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
    // RFC 6750: tell the client which scheme to use and, for a bad token, that the token is the problem.
    if (err.kind === 'unauthenticated' && err.challenge !== null) {
      headers['www-authenticate'] =
        err.code === 'missing_credentials'
          ? 'Bearer realm="contentos"'
          : bearerChallenge(err.challenge ?? { error: 'invalid_token' });
    }
    if (err.kind === 'unavailable') ctx.log('error', 'dependency failure', { error: describe(err) });
    return problemResponse({
      code: err.code,
      detail: err.message,
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
      errors: err.fields,
      headers,
      ...(err.extensions ? { extensions: err.extensions } : {}),
    });
  }
  if (err instanceof HTTPException) return httpExceptionProblem(err, ctx);
  if (isDatabaseUnavailable(err)) {
    ctx.log('error', 'database unavailable', { error: describe(err) });
    return problemResponse({
      code: 'database_unavailable',
      detail: 'The database is not reachable right now; retry shortly.',
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
      headers: { 'retry-after': '5' },
    });
  }
  if (isDataException(err)) {
    // A validation gap, not an outage: the client learns its request was refused, the log names the SQLSTATE.
    ctx.log('warn', 'database refused a value', { sqlState: sqlState(err), error: describe(err) });
    return problemResponse({
      code: 'invalid_value',
      detail: 'A value in the request is out of the range the database can store, or not in a form it can read.',
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
    });
  }
  // Everything else is a bug or a misconfiguration: log it fully, tell the client nothing internal.
  ctx.log('error', err instanceof ConfigurationError ? 'configuration error' : 'unhandled error', {
    error: describe(err),
  });
  return internalError(ctx);
}

function internalError(ctx: ErrorContext): Response {
  return problemResponse({
    code: 'internal_error',
    detail: `An unexpected error occurred. Quote request id ${ctx.requestId} when reporting it.`,
    requestId: ctx.requestId,
    origin: ctx.origin,
    instance: ctx.path,
  });
}

function httpExceptionProblem(err: HTTPException, ctx: ErrorContext): Response {
  // Hono's validators throw HTTPException(400) for bodies that are not JSON at all.
  if (err.status === 400 && /malformed json/i.test(err.message)) {
    return problemResponse({
      code: 'malformed_json',
      detail: 'The request body is not valid JSON.',
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
      errors: [{ path: 'body', message: 'not valid JSON', code: 'malformed_json' }],
    });
  }
  if (err.status === 415) {
    return problemResponse({
      code: 'unsupported_media_type',
      detail: 'Send the request body as JSON with `Content-Type: application/json`.',
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
      errors: [{ path: 'header.content-type', message: 'must be application/json', code: 'unsupported_media_type' }],
    });
  }
  // Hono's body limit throws 413 when it has no onError of ours; its other parsers (form bodies) throw 400.
  if (err.status === 413 || err.status === 400) {
    return problemResponse({
      code: err.status === 413 ? 'payload_too_large' : 'request_failed',
      detail: err.message || 'The request could not be processed.',
      requestId: ctx.requestId,
      origin: ctx.origin,
      instance: ctx.path,
    });
  }
  // Nothing in this app throws any other status; one that appears is a bug, and a code the catalogue lacks.
  ctx.log('error', 'unmapped http exception', { error: describe(err), status: err.status });
  return internalError(ctx);
}
