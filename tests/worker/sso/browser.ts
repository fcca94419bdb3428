import { exports } from 'cloudflare:workers';
import { expect, inject } from 'vitest';
import { BASE } from '../helpers.ts';

/** Who the local provider says signs in (scripts/local/oidc-provider.ts, `/authorize/issue`). */
export interface ProviderIdentity {
  sub?: string;
  email?: string;
  /** Defaults to true, as the provider does. */
  emailVerified?: boolean;
  name?: string;
  groups?: string[];
  mfa?: boolean;
  /** Overrides in the ID token: a wrong nonce, audience, issuer, expiry. */
  claims?: Record<string, unknown>;
  /** A seeded user id the provider lists; not used by tests of their own users. */
  user?: string;
}

/**
 * One browser: a cookie jar in front of the Worker, driving the sign-in the way a browser would (the
 * login redirect, the provider, the callback). The provider's page is skipped: the test picks the
 * identity the way the page's form would submit it.
 */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly base: string;

  constructor(base: string = BASE) {
    this.base = base;
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** Every Set-Cookie of a response, and its attributes by cookie name. */
  absorb(res: Response): Map<string, string> {
    const raw = new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      raw.set(name, line);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return raw;
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0 && !headers.has('cookie')) headers.set('cookie', this.cookieHeader());
    const res = await exports.default.fetch(
      new Request(`${this.base}${path}`, { ...init, headers, redirect: 'manual' }),
    );
    this.absorb(res);
    return res;
  }

  /** A change as the admin app makes it: same origin, with the CSRF header. */
  change(path: string, method: string, body?: unknown): Promise<Response> {
    return this.fetch(path, {
      method,
      headers: {
        origin: new URL(this.base).origin,
        'x-csrf': '1',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  /** `/auth/{slug}/login` (or any login path): the provider URL it redirects to. */
  async startSignIn(loginPath: string): Promise<URL> {
    const res = await this.fetch(loginPath);
    expect(res.status, await res.clone().text()).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  /** What the provider's form submits: the provider answers with a redirect to our callback. */
  static async authorize(authorizationUrl: URL, identity: ProviderIdentity): Promise<string> {
    const issue = new URL(`${inject('oidcIssuer')}/authorize/issue`);
    issue.search = authorizationUrl.search;
    const set = (name: string, value: string | undefined) => value !== undefined && issue.searchParams.set(name, value);
    set('user', identity.user ?? 'custom');
    set('sub', identity.sub);
    set('email', identity.email);
    set('email_verified', identity.emailVerified === false ? 'false' : undefined);
    set('name', identity.name);
    set('groups', identity.groups?.join(','));
    set('mfa', identity.mfa ? 'on' : undefined);
    set('claims', identity.claims ? JSON.stringify(identity.claims) : undefined);
    const res = await fetch(issue, { redirect: 'manual' });
    expect(res.status, await res.clone().text()).toBe(302);
    const callback = new URL(res.headers.get('location')!);
    return `${callback.pathname}${callback.search}`;
  }

  /** The whole round trip; the callback's response (303 when signed in). */
  async signIn(loginPath: string, identity: ProviderIdentity): Promise<Response> {
    const callback = await Browser.authorize(await this.startSignIn(loginPath), identity);
    return this.fetch(callback);
  }

  get sessionCookie(): string | undefined {
    return this.cookies.get('cos_session') ?? this.cookies.get('__Host-cos_session');
  }
}

/** A session is signed in as `userId` when /api/v1/me says so. */
export async function expectSignedInAs(browser: Browser, userId: string): Promise<void> {
  const res = await browser.fetch('/api/v1/me');
  expect(res.status, await res.clone().text()).toBe(200);
  expect(((await res.json()) as { user: { id: string } }).user.id).toBe(userId);
}
