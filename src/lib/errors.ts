import type { ErrorCodeOf, ErrorKind } from './error-codes.ts';

export type { ErrorKind } from './error-codes.ts';

/**
 * Errors that services throw. They describe what went wrong in domain terms; the one mapping to HTTP
 * lives in src/lib/error-mapping.ts, so services stay ignorant of transport.
 */
export interface FieldError {
  /** JSON-pointer-like dotted path of the offending field, e.g. `body.title` or `query.limit`. */
  path: string;
  message: string;
  code: string;
}

export interface DomainErrorOptions<K extends ErrorKind = ErrorKind> {
  /** A catalogued code of this kind (src/lib/error-codes.ts): the catalogue decides the status and title. */
  code: ErrorCodeOf<K>;
  fields?: FieldError[];
  /** Seconds a client should wait before retrying (rate limits, unavailable dependencies). */
  retryAfterSeconds?: number;
  /**
   * A 401's Bearer challenge parameters (RFC 6750 §3, RFC 9470 §3), in order; absent: the usual challenge
   * (`invalid_token`); null: none (a refusal to a session, which a Bearer challenge would only confuse).
   */
  challenge?: Record<string, string> | null;
  /** RFC 9457 extension members of the problem (what a client needs to act, e.g. `stepUp`). */
  extensions?: Record<string, unknown>;
  cause?: unknown;
}

export class DomainError<K extends ErrorKind = ErrorKind> extends Error {
  override name = 'DomainError';
  readonly kind: K;
  readonly code: ErrorCodeOf<K>;
  readonly fields: FieldError[];
  readonly retryAfterSeconds: number | undefined;
  readonly challenge: Record<string, string> | null | undefined;
  readonly extensions: Record<string, unknown> | undefined;

  constructor(kind: K, message: string, options: DomainErrorOptions<K>) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.code = options.code;
    this.fields = options.fields ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.challenge = options.challenge;
    this.extensions = options.extensions;
  }
}

export const notFound = (entity: string, options?: Partial<DomainErrorOptions<'not_found'>>) =>
  new DomainError('not_found', `${entity} not found`, { code: 'not_found', ...options });

export const unavailable = (what: string, options: DomainErrorOptions<'unavailable'>) =>
  new DomainError('unavailable', `${what} is unavailable`, { retryAfterSeconds: 5, ...options });
