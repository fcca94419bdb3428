import { eq } from 'drizzle-orm';
import { cookieSecretHash, isCookieSecret } from '../../auth/session-cookie.ts';
import { loginTransactions, organizationSso, type LoginTransaction } from '../../db/schema/index.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';
import type { ServiceContext, TenantContext } from '../container.ts';
import { openClientSecret } from '../sso/client-secret.ts';
import { providerForSignIn, type DiscoveredProvider } from '../sso/discovery.ts';
import { clientSecretBasic, providerFetchInit } from '../sso/oidc-protocol.ts';
import { idTokenInvalid, verifyIdToken } from './id-token.ts';
import { signInUser, type SignedIn } from './sign-in-user.ts';

const loginExpired = () =>
  new DomainError(
    'unauthenticated',
    'This sign-in is unknown, already completed, expired, or was started in another browser; start again.',
    { code: 'sso_login_expired' },
  );

const providerUnavailable = (cause?: unknown) =>
  unavailable("the organization's identity provider", { code: 'sso_provider_unavailable', cause });

/**
 * The authorization response (OAuth 2.0 §4.1.2, RFC 9207): the issuer, when the provider names one (and it
 * must when it says it does), is the provider's own, so a response from another provider cannot be replayed
 * here (mix-up); an error means nobody was authenticated; otherwise exactly one code.
 */
function authorizationCode(params: URLSearchParams, provider: DiscoveredProvider): string {
  const iss = params.getAll('iss');
  if (iss.length > 1 || (iss.length === 1 && iss[0] !== provider.issuer)) {
    throw idTokenInvalid('the authorization response names another issuer');
  }
  if (iss.length === 0 && provider.authorization_response_iss_parameter_supported) {
    throw idTokenInvalid('the authorization response does not name its issuer');
  }
  const error = params.get('error');
  if (error !== null) {
    throw new DomainError('unauthenticated', `The identity provider answered: ${error.slice(0, 100)}.`, {
      code: 'sso_provider_error',
    });
  }
  const codes = params.getAll('code');
  if (codes.length !== 1 || !codes[0]) throw idTokenInvalid('the authorization response carries no single code');
  return codes[0];
}

/**
 * The code for tokens at the provider's token endpoint, authenticated with the client secret
 * (client_secret_basic unless the provider lists only client_secret_post) and the PKCE verifier.
 */
async function exchangeCode(
  ctx: ServiceContext,
  provider: DiscoveredProvider,
  login: LoginTransaction,
  code: string,
  clientSecret: string,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: login.redirectUri,
    code_verifier: login.codeVerifier,
  });
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/x-www-form-urlencoded',
  };
  const methods = provider.token_endpoint_auth_methods_supported;
  if (methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')) {
    body.set('client_id', login.clientId);
    body.set('client_secret', clientSecret);
  } else {
    headers.authorization = clientSecretBasic(login.clientId, clientSecret);
  }
  let response: Response;
  try {
    response = await fetch(provider.token_endpoint, {
      ...providerFetchInit(ctx.services.config),
      method: 'POST',
      headers,
      body,
    });
  } catch (err) {
    throw providerUnavailable(err);
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw providerUnavailable();
  }
  const json = (await response.json().catch(() => undefined)) as { error?: unknown; id_token?: unknown } | undefined;
  if (response.status !== 200) {
    const error = typeof json?.error === 'string' ? json.error.slice(0, 100) : `HTTP ${response.status}`;
    throw idTokenInvalid(`the token endpoint answered ${error}`);
  }
  if (typeof json?.id_token !== 'string') throw idTokenInvalid('the token endpoint returned none');
  return json.id_token;
}

/**
 * Takes the single-use transaction (a replayed callback finds nothing), checks it belongs to this browser,
 * then the authorization response, the code exchange with the PKCE verifier, and the ID token; then signs
 * the user in.
 */
export async function completeSignIn({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { callbackUrl: string; browserSecret: string | undefined; client: TenantContext['client'] };
}): Promise<SignedIn & { returnTo: string }> {
  const { db, config } = ctx.services;
  const params = new URL(input.callbackUrl).searchParams;
  const state = params.getAll('state');
  // Checked before the transaction is taken: a callback planted without the cookie cannot burn a real one.
  if (state.length !== 1 || state[0]!.length > 512 || !input.browserSecret || !isCookieSecret(input.browserSecret)) {
    throw loginExpired();
  }
  const [login] = await db.delete(loginTransactions).where(eq(loginTransactions.state, state[0]!)).returning();
  if (!login || login.expiresAt.getTime() <= Date.now()) throw loginExpired();
  if (login.browserBinding !== (await cookieSecretHash(input.browserSecret))) throw loginExpired();
  const [sso] = await db.select().from(organizationSso).where(eq(organizationSso.organizationId, login.organizationId));
  // Reconfigured (or turned off) since this sign-in began: what it was started with no longer holds.
  if (!sso?.enabled || sso.issuer !== login.issuer || sso.clientId !== login.clientId) throw loginExpired();

  const provider = await providerForSignIn(sso.issuer, config);
  const code = authorizationCode(params, provider);
  const secret = await openClientSecret(config.webhooks.secretKey, sso.organizationId, sso.clientSecretEncrypted);
  const idToken = await exchangeCode(ctx, provider, login, code, secret);
  const claims = await verifyIdToken(
    idToken,
    { issuer: provider.issuer, clientId: sso.clientId, nonce: login.nonce, jwksUri: provider.jwks_uri },
    config,
    { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger },
  );
  const signedIn = await signInUser(ctx, sso, claims, input.client);
  return { ...signedIn, returnTo: login.returnTo };
}
