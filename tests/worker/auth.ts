import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';
import { inject } from 'vitest';
import type { UserRole } from '../../src/db/schema/enums.ts';
import { seedContentId, seedOrgId, seedUserEmail, seedUserId } from '../../scripts/local/seed-ids.ts';

export type SeedOrg = 'demo' | 'globex';

/** The seeded tenants and their users (scripts/local/seed.ts), as `npm run dev` has them. */
export const ORG_ID: Record<SeedOrg, string> = { demo: seedOrgId('demo'), globex: seedOrgId('globex') };
export const userId = (role: UserRole, org: SeedOrg = 'demo') => seedUserId(org, role);
export const userEmail = (role: UserRole, org: SeedOrg = 'demo') => seedUserEmail(org, role);
export const seededContentId = (index: number, org: SeedOrg = 'demo') => seedContentId(org, index);

export interface SignOptions {
  claims?: JWTPayload;
  /** Defaults: the local test key (ES256, the key `npm run dev` would write). */
  privateJwk?: JWK;
  alg?: string;
  kid?: string;
  issuer?: string;
  audience?: string;
  expiresIn?: string | number;
  notBefore?: string | number;
  /** The `typ` header: `at+jwt` (RFC 9068) as the local provider puts it; null leaves it out. */
  typ?: string | null;
  /**
   * Whether the token says the user signed in with MFA (`amr` pwd+otp, `auth_time` now), as `npm run token`
   * does by default, so privileged roles pass the MFA policy (docs/decisions/0036). `false` mints a
   * password-only token, to see the refusal; `claims` can still override `amr`, `acr` or `auth_time`.
   */
  mfa?: boolean;
}

/** The claims of a sign-in with a second factor, as the local provider writes them. */
export const MFA_CLAIMS = { amr: ['pwd', 'otp'] } as const;

export async function signToken(subject: { sub?: string; email?: string }, options: SignOptions = {}): Promise<string> {
  const jwk = options.privateJwk ?? inject('localPrivateJwk');
  const alg = options.alg ?? jwk.alg ?? 'ES256';
  const key = await importJWK(jwk, alg);
  // Like the local provider (scripts/local/keys.ts), an address in a token is a verified one unless a test says not.
  const email = subject.email ? { email: subject.email, email_verified: true } : {};
  const typ = options.typ === undefined ? 'at+jwt' : options.typ;
  const mfa = options.mfa === false ? {} : { ...MFA_CLAIMS, auth_time: Math.floor(Date.now() / 1000) };
  let jwt = new SignJWT({ ...email, ...mfa, ...options.claims })
    .setProtectedHeader({ alg, kid: options.kid ?? jwk.kid!, ...(typ === null ? {} : { typ }) })
    .setIssuedAt()
    .setIssuer(options.issuer ?? 'contentos-local')
    .setAudience(options.audience ?? 'contentos-api')
    .setExpirationTime(options.expiresIn ?? '10m');
  if (subject.sub) jwt = jwt.setSubject(subject.sub);
  if (options.notBefore !== undefined) jwt = jwt.setNotBefore(options.notBefore);
  return jwt.sign(key);
}

/** A bearer token for a user (seeded or created by the test). */
export async function tokenFor(role: UserRole, org: SeedOrg = 'demo'): Promise<string> {
  return signToken({ sub: userId(role, org), email: userEmail(role, org) });
}

export async function tokenForUser(id: string, options?: SignOptions): Promise<string> {
  return signToken({ sub: id }, options);
}

export async function authHeaders(
  role: UserRole,
  org: SeedOrg = 'demo',
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return { authorization: `Bearer ${await tokenFor(role, org)}`, ...extra };
}

export const jsonHeaders = (auth: Record<string, string>) => ({ ...auth, 'content-type': 'application/json' });
