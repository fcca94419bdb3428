import { createRemoteJWKSet, errors, importJWK, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../config.ts';
import { DomainError, unavailable } from '../lib/errors.ts';

/** Asymmetric algorithms only: a symmetric (HS*) token signed with a public key must never verify. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const CLOCK_TOLERANCE_SECONDS = 30;

export interface TokenIdentity {
  sub: string | undefined;
  email: string | undefined;
  /** False only when the IdP says so explicitly; an unverified address must not identify anyone. */
  emailVerified: boolean;
}

/** The key set could not be had (network, timeout, HTTP error, malformed): the token may be fine. */
class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

/** Tells "your token names a key we do not have" (401) from "we could not fetch keys" (503). */
function distinguishKeySetFailures(getKey: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await getKey(header, token);
    } catch (err) {
      if (
        err instanceof errors.JWKSNoMatchingKey ||
        err instanceof errors.JWKSMultipleMatchingKeys ||
        err instanceof errors.JOSENotSupported
      )
        throw err;
      throw new KeySetUnavailable('key set unavailable', { cause: err });
    }
  };
}

// Per isolate: the remote JWKS keeps its own cache and cooldown; the local key is imported once.
const remoteSets = new Map<string, JWTVerifyGetKey>();
const localKeys = new Map<string, Promise<CryptoKey | Uint8Array>>();

function keyFor(config: AppConfig): JWTVerifyGetKey | Promise<CryptoKey | Uint8Array> {
  const { jwksUrl, localPublicJwk } = config.jwt;
  if (jwksUrl) {
    let set = remoteSets.get(jwksUrl);
    if (!set) {
      set = distinguishKeySetFailures(
        createRemoteJWKSet(new URL(jwksUrl), {
          timeoutDuration: 3_000,
          cooldownDuration: 30_000,
          cacheMaxAge: 600_000,
        }),
      );
      remoteSets.set(jwksUrl, set);
    }
    return set;
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
 * Verifies signature, algorithm, issuer, audience, expiry and not-before. Failures of the token are 401;
 * failures to reach the key set are 503 (the token may be fine), never 500.
 */
export async function verifyAccessToken(token: string, config: AppConfig): Promise<TokenIdentity> {
  let payload: JWTPayload;
  try {
    const key = keyFor(config);
    const options = {
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
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
      throw unavailable('the identity provider key set', { code: 'jwks_unavailable', cause: err.cause });
    if (err instanceof errors.JWTExpired) throw invalid('The access token has expired.');
    if (err instanceof errors.JWTClaimValidationFailed)
      throw invalid(`The access token's "${err.claim}" claim is not valid.`);
    // Bad signature, disallowed algorithm, unknown kid, malformed token: all the caller's token.
    throw invalid('The access token is not valid.');
  }
  const sub = typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : undefined;
  const email = typeof payload.email === 'string' && payload.email.length > 0 ? payload.email : undefined;
  if (!sub && !email) throw invalid('The access token names no subject.');
  return { sub, email, emailVerified: payload.email_verified !== false };
}
