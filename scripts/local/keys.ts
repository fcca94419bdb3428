import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/**
 * The local identity provider's port (`npm run dev` runs it, scripts/local/oidc-provider.ts; OIDC_PORT changes
 * it). Fixed rather than free: users stay bound to the issuer across runs (docs/decisions/0032).
 */
export const LOCAL_OIDC_PORT = Number(process.env.OIDC_PORT ?? 8788);
/**
 * The issuer of the local provider's ID tokens and of `npm run token`'s access tokens alike, and the seeded
 * users' ids are their subjects in both: a seeded user signed in either way is one bound account (ADR 0035).
 */
export const LOCAL_ISSUER = `http://127.0.0.1:${LOCAL_OIDC_PORT}`;
/** What LOCAL_ISSUER was before the local provider existed; `npm run dev` clears bindings to it. */
export const LEGACY_LOCAL_ISSUER = 'contentos-local';
export const LOCAL_AUDIENCE = 'contentos-api';
const ALG = 'ES256';

export interface LocalKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

/**
 * The local signing key: an ES256 pair written once under .data/ (ignored by git). The Worker gets
 * only the public half; `npm run token` signs with the private half.
 */
export async function ensureLocalKey(path: string): Promise<LocalKey> {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as LocalKey;
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const key: LocalKey = {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: ALG, use: 'sig' },
    publicJwk: { ...publicJwk, kid, alg: ALG, use: 'sig' },
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(key, null, 2), { mode: 0o600 });
  return key;
}

/** What a sign-in with a password and a one-time code looks like (RFC 8176 `amr`, the OpenID PAPE `acr`). */
export const LOCAL_MFA_CLAIMS = {
  amr: ['pwd', 'otp'],
  acr: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor',
} as const;

export async function mintLocalToken(
  key: LocalKey,
  claims: { sub: string; email: string; ttlSeconds: number; mfa?: boolean },
): Promise<string> {
  const signingKey = await importJWK(key.privateJwk, ALG);
  // The Worker accepts `at+jwt` access tokens (RFC 9068) and lets an email name a user only when verified
  // (docs/decisions/0032); the seeded addresses are the local provider's own, so it vouches for them. By
  // default the sign-in used MFA, so privileged roles pass the MFA policy (docs/decisions/0036).
  const mfa = claims.mfa === false ? { amr: ['pwd'] } : LOCAL_MFA_CLAIMS;
  return new SignJWT({ email: claims.email, email_verified: true, ...mfa, auth_time: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ alg: ALG, kid: key.privateJwk.kid!, typ: 'at+jwt' })
    .setSubject(claims.sub)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${claims.ttlSeconds}s`)
    .setJti(crypto.randomUUID())
    .sign(signingKey);
}
