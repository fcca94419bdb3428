import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../app-env.ts';
import { cookieName, cookieOptions, securedCookies, type CookieNames } from '../../auth/session-cookie.ts';

/** The sign-in cookies of /auth/*, named and flagged for this request's scheme (docs/decisions/0035). */
export function browserCookies(c: Context<AppEnv>) {
  const secure = securedCookies(c.get('config'), c.req.url);
  return {
    get: (names: CookieNames) => getCookie(c, cookieName(names, secure)),
    set: (names: CookieNames, value: string, maxAgeSeconds: number) =>
      setCookie(c, cookieName(names, secure), value, cookieOptions(secure, maxAgeSeconds)),
    clear: (names: CookieNames) => {
      deleteCookie(c, cookieName(names, secure), { path: '/', secure });
    },
  };
}

export const redirectHeaders = {
  location: { schema: { type: 'string' as const }, description: 'Where the browser goes next' },
  'set-cookie': {
    schema: { type: 'string' as const },
    description: 'HttpOnly, SameSite=Lax; `__Host-` and Secure over https',
  },
};
