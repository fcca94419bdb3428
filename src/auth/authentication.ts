import type { JWTPayload } from 'jose';

/**
 * How the caller authenticated, as far as its credential shows: the identity provider's `amr`, `acr` and
 * `auth_time` (OpenID Connect Core §2, RFC 8176), and a built-in second factor verified for this very
 * credential. A user principal carries it; multi-factor enforcement reads nothing else (docs/decisions/0036).
 *
 * Bearer tokens fill it from their claims (src/middleware/authenticate.ts). A browser session fills it from
 * what the session recorded at sign-in (`via: 'session'`, the session id's digest, its amr/acr/auth_time and
 * a `stepUpUrl`): the same check then refuses it with the same problem, pointing at `stepUpUrl`.
 */
export interface Authentication {
  via: 'bearer' | 'session';
  /** SHA-256 (hex) of the bearer token or the session id: what per-credential state (a built-in verification) is keyed on. */
  credentialDigest: string;
  /** When the credential stops being accepted; a verification remembered for it lasts no longer. */
  expiresAt: Date;
  /** RFC 8176 authentication method references; empty when the credential names none. */
  amr: readonly string[];
  acr: string | undefined;
  /** When the user last actively authenticated at the identity provider. */
  authTime: Date | undefined;
  /** When a built-in second factor (TOTP or recovery code) was last verified for this credential. */
  secondFactorAt: Date | undefined;
  /**
   * Sessions only: the sign-in address (e.g. `/auth/{org}/login`) a refusal sends the browser to; the refusal
   * adds prompt=login, acr_values and max_age, which the sign-in route forwards to the identity provider.
   */
  stepUpUrl?: string;
}

/** What a token's claims say about its authentication, before the database adds the built-in factor. */
export type AuthenticationClaims = Pick<Authentication, 'amr' | 'acr' | 'authTime' | 'expiresAt'>;

// Far above what any identity provider sends; a longer list or value is not believed, only ignored.
const MAX_AMR_ENTRIES = 32;
const MAX_AMR_LENGTH = 64;
const MAX_ACR_LENGTH = 255;
// auth_time in seconds: 1e11 is the year 5138, beyond any real sign-in.
const MAX_EPOCH_SECONDS = 1e11;

const epochSeconds = (value: unknown): Date | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value < MAX_EPOCH_SECONDS
    ? new Date(value * 1000)
    : undefined;

/**
 * The claims as evidence of how the user signed in. A claim of the wrong shape is ignored rather than
 * refused: the token is still valid, it merely proves no second factor (which fails closed where one is needed).
 */
export function authenticationClaims(payload: JWTPayload): AuthenticationClaims {
  const { amr, acr, auth_time: authTime, exp } = payload;
  const methods =
    Array.isArray(amr) &&
    amr.length <= MAX_AMR_ENTRIES &&
    amr.every((m): m is string => typeof m === 'string' && m.length > 0 && m.length <= MAX_AMR_LENGTH)
      ? amr
      : [];
  return {
    amr: methods,
    acr: typeof acr === 'string' && acr.length > 0 && acr.length <= MAX_ACR_LENGTH ? acr : undefined,
    authTime: epochSeconds(authTime),
    // jose has checked `exp` (a required claim) is a number in the future.
    expiresAt: epochSeconds(exp) ?? new Date(),
  };
}
