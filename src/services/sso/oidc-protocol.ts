import type { AppConfig } from '../../config.ts';
import { toBase64Url } from '../../lib/bytes.ts';
import { sha256 } from '../../lib/sha256.ts';

/**
 * The few pieces of the OpenID Connect code flow the Worker needs, written out (docs/decisions/0035 says why
 * not oauth4webapi: 6.8 KB gzip of a 300 KB budget for what these few dozen lines do). The ID token itself is
 * verified by jose (src/services/sign-in/id-token.ts).
 */

/** 32 random bytes, base64url: state, nonce and PKCE verifier alike (RFC 7636 §4.1 allows 43 characters). */
export const randomToken = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

/** PKCE S256 (RFC 7636 §4.2). */
export const pkceChallenge = async (verifier: string): Promise<string> => toBase64Url(await sha256(verifier));

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** http to this machine: the local provider of `npm run dev` and the tests. */
export const isLoopbackHttp = (url: URL): boolean => url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);

/** https, or loopback http under SSO_ALLOW_LOOPBACK_HTTP: every URL of a provider the Worker fetches or sends to. */
export function providerUrlAllowed(raw: string, config: AppConfig): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  return url.protocol === 'https:' || (config.sso.allowLoopbackHttp && isLoopbackHttp(url));
}

/** `<issuer>/.well-known/openid-configuration` (OIDC Discovery §4.1: appended to the issuer's path). */
export function discoveryUrl(issuer: string): string {
  const url = new URL(issuer);
  url.pathname = `${url.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`;
  return url.href;
}

/** Issuers compare as URLs, so `https://idp.example` and `https://idp.example/` are one (as oauth4webapi does). */
export function sameIssuer(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

/** application/x-www-form-urlencoded, which RFC 6749 §2.3.1 applies to the Basic credentials' two halves. */
const formEncode = (value: string) => new URLSearchParams({ v: value }).toString().slice(2);

export function clientSecretBasic(clientId: string, clientSecret: string): string {
  return `Basic ${btoa(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`;
}

/** Options of every request to a provider: bounded in time (a hung provider costs a sign-in, not a Worker). */
export const providerFetchInit = (config: AppConfig): RequestInit => ({
  redirect: 'manual',
  signal: AbortSignal.timeout(config.sso.httpTimeoutMs),
});
