import { discoveryRequest, processDiscoveryResponse, type AuthorizationServer } from 'oauth4webapi';
import { IsolateCache } from '../../cache/isolate-cache.ts';
import type { AppConfig } from '../../config.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';
import { isLoopbackHttp, providerRequestOptions } from './provider-http.ts';

/** A provider's metadata with the three endpoints a sign-in needs, checked present. */
export type DiscoveredProvider = AuthorizationServer & {
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
};

// Discovery documents change rarely; a sign-in is two requests (login, callback) that must agree on them.
const discovered = new IsolateCache<DiscoveredProvider>({ ttlMs: 10 * 60_000, maxEntries: 500 });

/** The provider is there but is not one we can use: the administrator's to fix. */
export class DiscoveryRefused extends Error {
  override name = 'DiscoveryRefused';
}

function requireEndpoints(metadata: AuthorizationServer): DiscoveredProvider {
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    if (typeof metadata[field] !== 'string') throw new DiscoveryRefused(`the discovery document has no ${field}`);
  }
  return metadata as DiscoveredProvider;
}

/**
 * `<issuer>/.well-known/openid-configuration`, whose `issuer` must be the configured one (oauth4webapi checks,
 * OIDC Discovery §4.3: a document naming another issuer could hand out another provider's endpoints).
 * Unreachable or 5xx → 503; anything else wrong → DiscoveryRefused.
 */
export async function discoverProvider(issuer: string, config: AppConfig, fresh = false): Promise<DiscoveredProvider> {
  const cached = fresh ? undefined : discovered.get(issuer);
  if (cached) return cached;
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && !(config.sso.allowLoopbackHttp && isLoopbackHttp(issuer))) {
    throw new DiscoveryRefused('the issuer must be an https URL');
  }
  let response: Response;
  try {
    response = await discoveryRequest(url, { algorithm: 'oidc', ...providerRequestOptions(config, issuer) });
  } catch (err) {
    throw unavailable("the organization's identity provider", { code: 'sso_provider_unavailable', cause: err });
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw unavailable("the organization's identity provider", { code: 'sso_provider_unavailable' });
  }
  let metadata: DiscoveredProvider;
  try {
    metadata = requireEndpoints(await processDiscoveryResponse(new URL(issuer), response));
  } catch (err) {
    if (err instanceof DiscoveryRefused) throw err;
    throw new DiscoveryRefused(err instanceof Error ? err.message : String(err));
  }
  discovered.set(issuer, metadata);
  return metadata;
}

/** For sign-in: a provider that stopped being usable is a failed sign-in the administrator must fix (503). */
export async function providerForSignIn(issuer: string, config: AppConfig): Promise<DiscoveredProvider> {
  try {
    return await discoverProvider(issuer, config);
  } catch (err) {
    if (!(err instanceof DiscoveryRefused)) throw err;
    throw unavailable("the organization's identity provider", { code: 'sso_provider_unavailable', cause: err });
  }
}

export const issuerInvalid = (detail: string) =>
  new DomainError('rule_violation', `The issuer cannot be used: ${detail}.`, {
    code: 'sso_issuer_invalid',
    fields: [{ path: 'body.issuer', message: detail, code: 'sso_issuer_invalid' }],
  });
