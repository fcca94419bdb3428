/**
 * The local identity provider of `npm run dev` and the tests (docs/decisions/0035): oauth2-mock-server serves
 * discovery, the key set and the token endpoint; this file puts a sign-in page in front of its authorization
 * endpoint (pick a seeded user or type an address, tick "MFA used") and makes it honest where the mock is
 * lenient: registered clients and their secrets, PKCE S256 required, codes bound to their client and redirect
 * URI, single use and short-lived. The Worker reaches it only through standard OIDC.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { JWK } from 'jose';
import { OAuth2Server, type MutableRedirectUri, type MutableResponse, type MutableToken } from 'oauth2-mock-server';

export interface PickableUser {
  id: string;
  email: string;
  name: string;
  role: string;
  organization: string;
}

export interface OidcProviderOptions {
  port: number;
  /** ES256 private JWK the tokens are signed with; a fresh key when absent. */
  signingKey?: JWK;
  /** Registered clients, id → secret. */
  clients: Record<string, string>;
  /** Tests: a client id not registered is accepted with any secret (each test tenant names its own). */
  acceptUnknownClients?: boolean;
  /** Listed on the sign-in page. */
  users?: PickableUser[];
}

export interface RunningOidcProvider {
  issuer: string;
  close(): Promise<void>;
}

/** Who signs in, as chosen on the page (or by a test calling `/authorize/issue` directly). */
interface Identity {
  sub: string;
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  groups: string[];
  mfa: boolean;
  /** The authentication context classes the sign-in asked for (`acr_values`), in order. */
  acrValues: string[];
  /** Test hook: claims that override the ID token's (a wrong nonce, audience, issuer, expiry…). */
  claims: Record<string, unknown>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  identity: Identity;
  expiresAt: number;
}

const CODE_TTL_MS = 60_000;
const ISSUE_PATH = '/authorize/issue';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function identityFrom(query: URLSearchParams, users: PickableUser[]): Identity | string {
  const picked = query.get('user');
  const mfa = query.get('mfa') === 'on' || query.get('mfa') === '1' || query.get('mfa') === 'true';
  let claims: Record<string, unknown> = {};
  const rawClaims = query.get('claims');
  if (rawClaims) {
    try {
      const parsed: unknown = JSON.parse(rawClaims);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) claims = parsed as Record<string, unknown>;
    } catch {
      return 'claims is not a JSON object';
    }
  }
  const acrValues = (query.get('acr_values') ?? '').split(' ').filter((v) => v !== '');
  const groups = (query.get('groups') ?? '')
    .split(',')
    .map((g) => g.trim())
    .filter((g) => g !== '');
  if (picked && picked !== 'custom') {
    const user = users.find((u) => u.id === picked);
    if (!user) return `unknown user ${picked}`;
    // The seeded user's id is its subject, as `npm run token` has it: one binding serves both (ADR 0035).
    return { sub: user.id, email: user.email, emailVerified: true, name: user.name, groups, mfa, acrValues, claims };
  }
  const email = query.get('email')?.trim().toLowerCase() || undefined;
  const sub = query.get('sub') || (email ? `local|${email}` : undefined);
  if (!sub) return 'choose a user, or type an email address';
  return {
    sub,
    email,
    emailVerified: query.get('email_verified') !== 'false',
    name: query.get('name') || undefined,
    groups,
    mfa,
    acrValues,
    claims,
  };
}

/** A step-up sign-in (ContentOS refused a session for want of MFA): say what the service asked for. */
function stepUpNote(query: URLSearchParams): string {
  const asked = ['prompt', 'acr_values', 'max_age'].filter((name) => query.has(name));
  if (asked.length === 0) return '';
  const list = asked.map((name) => `<code>${name}=${escapeHtml(query.get(name) ?? '')}</code>`).join(', ');
  return `<p class="note">The service asks for a step-up sign-in: ${list}. A real provider would ask for a second factor here.</p>`;
}

function pickerPage(query: URLSearchParams, users: PickableUser[]): string {
  const hidden = [...query.entries()]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const hint = query.get('login_hint')?.toLowerCase();
  const rows = users
    .map((u, i) => {
      const checked = (hint ? u.email === hint : i === 0) ? ' checked' : '';
      const radio = `<input type="radio" name="user" value="${escapeHtml(u.id)}" id="u${i}"${checked}>`;
      const cells = [
        radio,
        `<label for="u${i}">${escapeHtml(u.email)}</label>`,
        escapeHtml(u.role),
        escapeHtml(u.organization),
      ];
      return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
    })
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local identity provider</title>
<style>body{font:15px system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;width:100%}td{padding:.3rem .5rem;border-bottom:1px solid #eee}
fieldset{margin:1rem 0;border:1px solid #ccc;border-radius:6px}button{font-size:1rem;padding:.5rem 1.2rem}
.note{color:#666;font-size:.9rem}</style></head><body>
<h1>Local identity provider</h1>
<p class="note">For development only: nobody is asked for a password. ContentOS signs in only members of the
organization whose sign-in page sent you here (client <code>${escapeHtml(query.get('client_id') ?? '')}</code>).</p>
<form method="get" action="${ISSUE_PATH}">${hidden}
<fieldset><legend>Sign in as a seeded user</legend><table>${rows}</table></fieldset>
<fieldset><legend><label><input type="radio" name="user" value="custom"${users.length === 0 ? ' checked' : ''}> Someone else</label></legend>
<p><label>Email <input name="email" type="email" size="36" value="${hint && !users.some((u) => u.email === hint) ? escapeHtml(hint) : ''}"></label></p>
<p><label>Groups <input name="groups" size="36" placeholder="contentos-editors"></label>
<span class="note">comma-separated, sent as the <code>groups</code> claim</span></p>
<p class="note">A new address is provisioned only inside the organization's allowed domains.</p></fieldset>
${stepUpNote(query)}<p><label><input type="checkbox" name="mfa"${query.has('acr_values') ? ' checked' : ''}> MFA used</label>
<span class="note">(the ID token then says <code>amr: ["pwd", "mfa"]</code>)</span></p>
<button type="submit">Sign in</button></form></body></html>`;
}

function clientCredentials(req: IncomingMessage, body: Record<string, unknown>): { id?: string; secret?: string } {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ')) {
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    // RFC 6749 §2.3.1: both parts are form-encoded before they are joined.
    const part = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return colon < 0 ? {} : { id: part(decoded.slice(0, colon)), secret: part(decoded.slice(colon + 1)) };
  }
  return { id: single(body.client_id), secret: single(body.client_secret) };
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<RunningOidcProvider> {
  const users = options.users ?? [];
  const grants = new Map<string, Grant>();
  const server = new OAuth2Server(undefined, undefined, { endpoints: { authorize: ISSUE_PATH } });
  const issuer = `http://127.0.0.1:${options.port}`;
  // Not localhost: workerd may resolve it to ::1 while the provider listens on IPv4.
  server.issuer.url = issuer;
  if (options.signingKey) await server.issuer.keys.add({ ...options.signingKey, alg: 'ES256' });
  else await server.issuer.keys.generate('ES256');

  const clientKnown = (id: string | undefined) =>
    id !== undefined && (Object.hasOwn(options.clients, id) || options.acceptUnknownClients === true);

  const service = server.service;
  service.addRoute('GET', '/authorize', (req: IncomingMessage, res: ServerResponse) => {
    const query = new URL(req.url ?? '/', issuer).searchParams;
    const problem = !clientKnown(query.get('client_id') ?? undefined)
      ? 'unknown client_id'
      : query.get('response_type') !== 'code'
        ? 'response_type must be code'
        : query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge')
          ? 'PKCE with S256 is required'
          : !query.get('redirect_uri')
            ? 'redirect_uri is required'
            : undefined;
    res.setHeader('cache-control', 'no-store');
    if (problem) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(`invalid request: ${problem}`);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(pickerPage(query, users));
  });

  service.on('beforeWellKnownOpenIdConfiguration', (response: MutableResponse) => {
    Object.assign(response.body as Record<string, unknown>, {
      authorization_endpoint: `${issuer}/authorize`,
      id_token_signing_alg_values_supported: ['ES256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: ['authorization_code'],
      authorization_response_iss_parameter_supported: true,
      scopes_supported: ['openid', 'email', 'profile'],
      claims_supported: ['sub', 'email', 'email_verified', 'name', 'groups', 'amr', 'acr', 'auth_time', 'nonce'],
    });
  });

  service.on('beforeAuthorizeRedirect', (redirect: MutableRedirectUri, req: IncomingMessage) => {
    const { url } = redirect;
    // RFC 9207: the issuer travels with every response, errors too, so a mix-up between providers is caught.
    url.searchParams.set('iss', issuer);
    const code = url.searchParams.get('code');
    if (!code) return;
    const query = new URL(req.url ?? '/', issuer).searchParams;
    const identity = identityFrom(query, users);
    const refuse = (error: string, description: string) => {
      url.searchParams.delete('code');
      url.searchParams.set('error', error);
      url.searchParams.set('error_description', description);
    };
    if (!clientKnown(query.get('client_id') ?? undefined)) return refuse('unauthorized_client', 'unknown client_id');
    if (query.get('code_challenge_method') !== 'S256') return refuse('invalid_request', 'PKCE with S256 is required');
    if (typeof identity === 'string') return refuse('access_denied', identity);
    grants.set(code, {
      clientId: query.get('client_id')!,
      redirectUri: query.get('redirect_uri')!,
      identity,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
  });

  service.on('beforeTokenSigning', (token: MutableToken, req: IncomingMessage & { body?: Record<string, unknown> }) => {
    const grant = grants.get(single(req.body?.code) ?? '');
    if (!grant) return;
    const { identity } = grant;
    const now = Math.floor(Date.now() / 1000);
    Object.assign(token.payload, {
      sub: identity.sub,
      ...(identity.email ? { email: identity.email, email_verified: identity.emailVerified } : {}),
      ...(identity.name ? { name: identity.name } : {}),
      ...(identity.groups.length > 0 ? { groups: identity.groups } : {}),
      amr: identity.mfa ? ['pwd', 'mfa'] : ['pwd'],
      // With MFA, the first class the sign-in asked for is the one satisfied (as a provider that honours acr_values).
      acr: identity.mfa ? (identity.acrValues[0] ?? 'urn:contentos:local:mfa') : 'urn:contentos:local:pwd',
      auth_time: now,
    });
    // The ID token is the one with an audience. The mock takes it from the Basic credentials without undoing
    // their form encoding (RFC 6749 §2.3.1: `-` arrives as %2D), so it is set from the code's client here.
    if (token.payload.aud !== undefined) Object.assign(token.payload, { aud: grant.clientId }, identity.claims);
  });

  service.on(
    'beforeResponse',
    (response: MutableResponse, req: IncomingMessage & { body?: Record<string, unknown> }) => {
      const body = req.body ?? {};
      const fail = (status: number, error: string, description: string) => {
        response.statusCode = status;
        response.body = { error, error_description: description };
      };
      if (body.grant_type !== 'authorization_code')
        return fail(400, 'unsupported_grant_type', 'authorization_code only');
      const code = single(body.code) ?? '';
      const grant = grants.get(code);
      grants.delete(code);
      if (!grant || grant.expiresAt < Date.now()) return fail(400, 'invalid_grant', 'unknown, used or expired code');
      const client = clientCredentials(req, body);
      if (client.id !== grant.clientId) return fail(401, 'invalid_client', 'the code was issued to another client');
      if (Object.hasOwn(options.clients, grant.clientId) && options.clients[grant.clientId] !== client.secret) {
        return fail(401, 'invalid_client', 'wrong client secret');
      }
      if (single(body.redirect_uri) !== grant.redirectUri) return fail(400, 'invalid_grant', 'redirect_uri differs');
    },
  );

  await server.start(options.port, '127.0.0.1');
  return { issuer, close: () => server.stop() };
}
