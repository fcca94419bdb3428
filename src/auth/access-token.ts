import { decodeProtectedHeader, errors, importJWK, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { normalizeTokenType, type AppConfig } from '../config.ts';
import { DomainError, unavailable } from '../lib/errors.ts';
import { authenticationClaims, type AuthenticationClaims } from './authentication.ts';
import { KeySetUnavailable, remoteKeySet, type KeySetDeps } from './remote-key-set.ts';

/** Far above any access token an IdP issues (a few KB with many groups); anything larger is refused unread. */
export const MAX_ACCESS_TOKEN_LENGTH = 16 * 1024;
/** OpenID Connect Core §2: a subject is at most 255 ASCII characters (users.idp_subject holds no more). */
const MAX_SUBJECT_LENGTH = 255;

export interface TokenIdentity {
  /** Always present: a user is bound to (issuer, sub) at first sign-in (docs/decisions/0032). */
  issuer: string;
  sub: string | undefined;
  email: string | undefined;
  /** True only when the IdP says so with the boolean `true`: an unverified address must not identify anyone. */
  emailVerified: boolean;
}

/** A verified access token: who it names, and what it says about how they signed in (amr, acr, auth_time). */
export interface VerifiedToken extends TokenIdentity {
  authentication: AuthenticationClaims;
}

// Per isolate: the local development key is imported once.
const localKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

function keyFor(config: AppConfig, deps: KeySetDeps): JWTVerifyGetKey | Promise<CryptoKey | Uint8Array> {
  const { jwksUrl, localPublicJwk } = config.jwt;
  if (jwksUrl) {
    const set = remoteKeySet(jwksUrl);
    return (header, token) => set.getKey(header, token, config.jwks, deps);
  }
  if (localPublicJwk && config.appEnv !== 'production') {
    let key = localKeys.get(localPublicJwk);
    if (!key) {
      const jwk = JSON.parse(localPublicJwk) as { alg?: string };
      key = importJWK(jwk, jwk.alg ?? 'ES256');
      localKeys.set(localPublicJwk, key);
    }
    return key;
  }
  throw unavailable('authentication', { code: 'auth_not_configured' });
}

const invalid = (detail: string) => new DomainError('unauthenticated', detail, { code: 'invalid_token' });

/**
 * The `typ` header is checked before any key is looked up: a token of another kind (an ID token, a logout
 * token, a DPoP proof) signed by the same IdP is not an access token for this API (RFC 8725 §3.11).
 */
function assertAcceptedType(token: string, config: AppConfig): void {
  let typ: unknown;
  try {
    typ = decodeProtectedHeader(token).typ;
  } catch {
    throw invalid('The access token is not valid.');
  }
  if (typeof typ !== 'string' || !config.jwt.acceptedTypes.includes(normalizeTokenType(typ))) {
    throw invalid(`The access token's "typ" header must be one of: ${config.jwt.acceptedTypes.join(', ')}.`);
  }
}

/**
 * Verifies type, signature, algorithm, issuer, audience, expiry and not-before. Everything wrong with the
 * token is 401; only "no key set we may trust" is 503 (the token may be fine). Nothing a token holds
 * leads to a 5xx.
 */
export async function verifyAccessToken(token: string, config: AppConfig, deps: KeySetDeps): Promise<VerifiedToken> {
  if (token.length > MAX_ACCESS_TOKEN_LENGTH) throw invalid('The access token is too large.');
  assertAcceptedType(token, config);
  let payload: JWTPayload;
  try {
    const key = keyFor(config, deps);
    const options = {
      algorithms: config.jwt.algorithms,
      clockTolerance: config.jwt.clockToleranceSeconds,
      requiredClaims: ['exp', 'iss'],
      ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
      ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
    };
    payload =
      typeof key === 'function'
        ? (await jwtVerify(token, key, options)).payload
        : (await jwtVerify(token, await key, options)).payload;
  } catch (err) {
    if (err instanceof DomainError) throw err;
    if (err instanceof KeySetUnavailable)
      throw unavailable('the identity provider key set', { code: 'jwks_unavailable', cause: err });
    if (err instanceof errors.JWTExpired) throw invalid('The access token has expired.');
    if (err instanceof errors.JWTClaimValidationFailed)
      throw invalid(`The access token's "${err.claim}" claim is not valid.`);
    // Bad signature, disallowed algorithm, unknown kid, malformed token: all the caller's token.
    throw invalid('The access token is not valid.');
  }
  // Pinned by JWT_ISSUER wherever it matters; without it (local development) it must still be a name.
  if (typeof payload.iss !== 'string' || payload.iss === '')
    throw invalid('The access token\'s "iss" claim is not valid.');
  const sub = typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : undefined;
  const email = typeof payload.email === 'string' && payload.email.length > 0 ? payload.email : undefined;
  if (!sub && !email) throw invalid('The access token names no subject.');
  if (sub && sub.length > MAX_SUBJECT_LENGTH) throw invalid('The access token\'s "sub" claim is not valid.');
  return {
    issuer: payload.iss,
    sub,
    email,
    emailVerified: payload.email_verified === true,
    authentication: authenticationClaims(payload),
  };
}
