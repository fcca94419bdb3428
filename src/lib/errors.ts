/**
 * Errors that services throw. They describe what went wrong in domain terms; the one mapping to HTTP
 * lives in src/lib/error-mapping.ts, so services stay ignorant of transport.
 */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'precondition_failed'
  | 'rule_violation'
  | 'rate_limited'
  | 'unavailable';

export interface FieldError {
  /** JSON-pointer-like dotted path of the offending field, e.g. `body.title` or `query.limit`. */
  path: string;
  message: string;
  code: string;
}

export interface DomainErrorOptions {
  code?: string;
  fields?: FieldError[];
  /** Seconds a client should wait before retrying (rate limits, unavailable dependencies). */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class DomainError extends Error {
  override name = 'DomainError';
  readonly kind: ErrorKind;
  readonly code: string;
  readonly fields: FieldError[];
  readonly retryAfterSeconds: number | undefined;

  constructor(kind: ErrorKind, message: string, options: DomainErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.code = options.code ?? kind;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const notFound = (entity: string, options?: DomainErrorOptions) =>
  new DomainError('not_found', `${entity} not found`, { code: 'not_found', ...options });

export const unavailable = (what: string, options?: DomainErrorOptions) =>
  new DomainError('unavailable', `${what} is unavailable`, {
    code: 'dependency_unavailable',
    retryAfterSeconds: 5,
    ...options,
  });
