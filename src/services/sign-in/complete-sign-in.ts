import { eq } from 'drizzle-orm';
import {
  AuthorizationResponseError,
  authorizationCodeGrantRequest,
  ClientSecretBasic,
  ClientSecretPost,
  clockTolerance,
  processAuthorizationCodeResponse,
  ResponseBodyError,
  validateAuthResponse,
  type Client,
} from 'oauth4webapi';
import { cookieSecretHash, isCookieSecret } from '../../auth/session-cookie.ts';
import { loginTransactions, organizationSso } from '../../db/schema/index.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';
import type { ServiceContext, TenantContext } from '../container.ts';
import { openClientSecret } from '../sso/client-secret.ts';
import { providerForSignIn, type DiscoveredProvider } from '../sso/discovery.ts';
import { providerRequestOptions } from '../sso/provider-http.ts';
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

/** client_secret_basic unless the provider lists only client_secret_post (the default, OIDC Discovery §3). */
function clientAuthentication(provider: DiscoveredProvider, secret: string) {
  const methods = provider.token_endpoint_auth_methods_supported;
  return methods && !methods.includes('client_secret_basic') && methods.includes('client_secret_post')
    ? ClientSecretPost(secret)
    : ClientSecretBasic(secret);
}

/**
 * Takes the single-use transaction (a replayed callback finds nothing), checks it belongs to this browser,
 * then state, code exchange with the PKCE verifier, and the ID token; then signs the user in.
 */
export async function completeSignIn({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: { callbackUrl: string; browserSecret: string | undefined; client: TenantContext['client'] };
}): Promise<SignedIn & { returnTo: string }> {
  const { db, config } = ctx.services;
  const callback = new URL(input.callbackUrl);
  const state = callback.searchParams.get('state');
  if (!state || state.length > 512 || !input.browserSecret || !isCookieSecret(input.browserSecret))
    throw loginExpired();
  const [login] = await db.delete(loginTransactions).where(eq(loginTransactions.state, state)).returning();
  if (!login || login.expiresAt.getTime() <= Date.now()) throw loginExpired();
  if (login.browserBinding !== (await cookieSecretHash(input.browserSecret))) throw loginExpired();
  const [sso] = await db.select().from(organizationSso).where(eq(organizationSso.organizationId, login.organizationId));
  // Reconfigured (or turned off) since this sign-in began: what it was started with no longer holds.
  if (!sso?.enabled || sso.issuer !== login.issuer || sso.clientId !== login.clientId) throw loginExpired();

  const provider = await providerForSignIn(sso.issuer, config);
  const client: Client = { client_id: sso.clientId, [clockTolerance]: config.jwt.clockToleranceSeconds };
  let params: URLSearchParams;
  try {
    params = validateAuthResponse(provider, client, callback, state);
  } catch (err) {
    if (err instanceof AuthorizationResponseError) {
      throw new DomainError('unauthenticated', `The identity provider answered: ${err.error.slice(0, 100)}.`, {
        code: 'sso_provider_error',
      });
    }
    throw idTokenInvalid(err instanceof Error ? err.message : 'the authorization response is malformed');
  }

  const secret = await openClientSecret(config.webhooks.secretKey, sso.organizationId, sso.clientSecretEncrypted);
  let response: Response;
  try {
    response = await authorizationCodeGrantRequest(
      provider,
      client,
      clientAuthentication(provider, secret),
      params,
      login.redirectUri,
      login.codeVerifier,
      providerRequestOptions(config, provider.token_endpoint),
    );
  } catch (err) {
    throw providerUnavailable(err);
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw providerUnavailable();
  }
  let idToken: string | undefined;
  try {
    const tokens = await processAuthorizationCodeResponse(provider, client, response, {
      expectedNonce: login.nonce,
      requireIdToken: true,
    });
    idToken = tokens.id_token;
  } catch (err) {
    if (err instanceof ResponseBodyError)
      throw idTokenInvalid(`the token endpoint answered ${err.error.slice(0, 100)}`);
    throw idTokenInvalid(err instanceof Error ? err.message.slice(0, 200) : 'the token response is malformed');
  }
  if (!idToken) throw idTokenInvalid('there is none');
  const claims = await verifyIdToken(
    idToken,
    { issuer: provider.issuer, clientId: sso.clientId, nonce: login.nonce, jwksUri: provider.jwks_uri },
    config,
    { kv: ctx.services.kv, defer: ctx.services.defer, logger: ctx.logger },
  );
  const signedIn = await signInUser(ctx, sso, claims, input.client);
  return { ...signedIn, returnTo: login.returnTo };
}
