import type { AppConfig } from '../config.ts';
import { toBase64Url } from '../lib/bytes.ts';
import { sha256Hex } from '../lib/sha256.ts';

/**
 * The browser's cookies (docs/decisions/0035). Over https (and always in production) they carry the
 * `__Host-` prefix, which browsers accept only with Secure, Path=/ and no Domain, so no subdomain can
 * plant or shadow them. Local development over plain http cannot set Secure cookies, and without Secure
 * the prefix is refused, so there the same cookies go by their bare names.
 */
export const SESSION_COOKIE = { secure: '__Host-cos_session', plain: 'cos_session' } as const;
/** Binds a sign-in in progress to the browser that started it (login CSRF). */
export const LOGIN_COOKIE = { secure: '__Host-cos_login', plain: 'cos_login' } as const;

export type CookieNames = typeof SESSION_COOKIE | typeof LOGIN_COOKIE;

export const securedCookies = (config: AppConfig, requestUrl: string): boolean =>
  config.appEnv === 'production' || new URL(requestUrl).protocol === 'https:';

export const cookieName = (names: CookieNames, secure: boolean): string => (secure ? names.secure : names.plain);

export function cookieOptions(secure: boolean, maxAgeSeconds: number) {
  return { path: '/', httpOnly: true, secure, sameSite: 'Lax' as const, maxAge: maxAgeSeconds };
}

/** 32 random bytes: the whole credential, so a fast hash of it is as good as a slow one. */
export const newCookieSecret = (): string => toBase64Url(crypto.getRandomValues(new Uint8Array(32)));

const COOKIE_SECRET = /^[A-Za-z0-9_-]{43}$/;
/** Anything else is not ours: refused without a database round trip. */
export const isCookieSecret = (value: string): boolean => COOKIE_SECRET.test(value);

/** What is stored in place of the secret (auth_sessions.id, login_transactions.browser_binding). */
export const cookieSecretHash = (secret: string): Promise<string> => sha256Hex(secret);
