import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { KeySetUnavailable, remoteKeySet, type KeySetDeps } from '../../auth/remote-key-set.ts';
import { normalizeTokenType, type AppConfig } from '../../config.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';

/** What a sign-in takes from the ID token; everything else in it is ignored. */
export interface IdTokenClaims {
  issuer: string;
  subject: string;
  email: string | undefined;
  /** Only the boolean `true` counts (docs/decisions/0032). */
  emailVerified: boolean;
  name: string | undefined;
  amr: string[];
  acr: string | null;
  authTime: Date | null;
  /** The whole payload, for the organization's role claim. */
  payload: JWTPayload;
}

export interface IdTokenExpectations {
  issuer: string;
  clientId: string;
  nonce: string;
  jwksUri: string;
}

const MAX_ID_TOKEN_LENGTH = 32 * 1024;
const MAX_SUBJECT_LENGTH = 255;

export const idTokenInvalid = (detail: string) =>
  new DomainError('unauthenticated', `The identity provider's ID token was refused: ${detail}.`, {
    code: 'sso_token_invalid',
  });

const shortString = (value: unknown, max: number): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= max ? value : undefined;

/**
 * The ID token, verified with jose against the provider's published keys (kept through outages as access
 * token keys are, docs/decisions/0032): signature with an algorithm of JWT_ALGORITHMS only (never HS256 or none),
 * issuer, audience (our client id; `azp` when there are several), expiry and issue time, and the nonce of
 * this sign-in. An access token (`typ` at+jwt) is not an ID token.
 */
export async function verifyIdToken(
  token: string,
  expected: IdTokenExpectations,
  config: AppConfig,
  deps: KeySetDeps,
): Promise<IdTokenClaims> {
  if (token.length > MAX_ID_TOKEN_LENGTH) throw idTokenInvalid('it is too large');
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    throw idTokenInvalid('it is not a JWT');
  }
  if (typ !== undefined && (typeof typ !== 'string' || normalizeTokenType(typ) !== 'jwt')) {
    throw idTokenInvalid(`its "typ" header is ${String(typ).slice(0, 40)}, not JWT`);
  }
  const keys = remoteKeySet(expected.jwksUri);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header, input) => keys.getKey(header, input, config.jwks, deps), {
      issuer: expected.issuer,
      audience: expected.clientId,
      algorithms: config.jwt.algorithms,
      clockTolerance: config.jwt.clockToleranceSeconds,
      requiredClaims: ['exp', 'iat', 'sub', 'nonce'],
    }));
  } catch (err) {
    if (err instanceof KeySetUnavailable) {
      throw unavailable("the identity provider's key set", { code: 'sso_provider_unavailable', cause: err });
    }
    if (err instanceof errors.JWTExpired) throw idTokenInvalid('it has expired');
    if (err instanceof errors.JWTClaimValidationFailed) throw idTokenInvalid(`its "${err.claim}" claim is wrong`);
    throw idTokenInvalid('its signature or algorithm is not valid');
  }
  if (payload.nonce !== expected.nonce) throw idTokenInvalid('its "nonce" claim is not this sign-in\'s');
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
    throw idTokenInvalid('its "azp" claim is not this client');
  }
  const subject = shortString(payload.sub, MAX_SUBJECT_LENGTH);
  if (!subject) throw idTokenInvalid('its "sub" claim is not valid');
  const amr = Array.isArray(payload.amr)
    ? payload.amr.filter((v): v is string => shortString(v, 64) !== undefined)
    : [];
  // Bounded to what a timestamp column holds (ADR 0024): a strange value is ignored, never a 5xx.
  const authTime =
    typeof payload.auth_time === 'number' && payload.auth_time > 0 && payload.auth_time < 253_402_300_800
      ? payload.auth_time
      : null;
  return {
    issuer: expected.issuer,
    subject,
    email: shortString(payload.email, 320)?.toLowerCase(),
    emailVerified: payload.email_verified === true,
    name: shortString(payload.name, 200),
    amr: amr.slice(0, 20),
    acr: shortString(payload.acr, 200) ?? null,
    authTime: authTime === null ? null : new Date(authTime * 1000),
    payload,
  };
}
