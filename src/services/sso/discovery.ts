import { IsolateCache } from '../../cache/isolate-cache.ts';
import type { AppConfig } from '../../config.ts';
import { DomainError, unavailable } from '../../lib/errors.ts';
import { discoveryUrl, providerFetchInit, providerUrlAllowed, sameIssuer } from './oidc-protocol.ts';

/** What a sign-in needs of a provider's metadata, checked present and allowed. */
export interface DiscoveredProvider {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  token_endpoint_auth_methods_supported?: string[];
  authorization_response_iss_parameter_supported?: boolean;
}

// Discovery documents change rarely; a sign-in is two requests (login, callback) that must agree on them.
const discovered = new IsolateCache<DiscoveredProvider>({ ttlMs: 10 * 60_000, maxEntries: 500 });

/** The provider is there but is not one we can use: the administrator's to fix. */
export class DiscoveryRefused extends Error {
  override name = 'DiscoveryRefused';
}

const providerUnavailable = (cause?: unknown) =>
  unavailable("the organization's identity provider", { code: 'sso_provider_unavailable', cause });

function metadataOf(json: unknown, issuer: string, config: AppConfig): DiscoveredProvider {
  if (!json || typeof json !== 'object' || Array.isArray(json))
    throw new DiscoveryRefused('the discovery document is not a JSON object');
  const doc = json as Record<string, unknown>;
  // OIDC Discovery §4.3: a document naming another issuer could hand out another provider's endpoints.
  if (typeof doc.issuer !== 'string' || !sameIssuer(doc.issuer, issuer)) {
    throw new DiscoveryRefused(`the discovery document names another issuer (${String(doc.issuer).slice(0, 200)})`);
  }
  for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const) {
    const value = doc[field];
    if (typeof value !== 'string') throw new DiscoveryRefused(`the discovery document has no ${field}`);
    if (!providerUrlAllowed(value, config)) throw new DiscoveryRefused(`its ${field} is not an https URL`);
  }
  const methods = doc.token_endpoint_auth_methods_supported;
  return {
    issuer: doc.issuer,
    authorization_endpoint: doc.authorization_endpoint as string,
    token_endpoint: doc.token_endpoint as string,
    jwks_uri: doc.jwks_uri as string,
    ...(Array.isArray(methods)
      ? { token_endpoint_auth_methods_supported: methods.filter((m) => typeof m === 'string') }
      : {}),
    authorization_response_iss_parameter_supported: doc.authorization_response_iss_parameter_supported === true,
  };
}

/**
 * `<issuer>/.well-known/openid-configuration`, which must name the configured issuer. Unreachable or 5xx →
 * 503; anything else wrong → DiscoveryRefused.
 */
export async function discoverProvider(issuer: string, config: AppConfig, fresh = false): Promise<DiscoveredProvider> {
  const cached = fresh ? undefined : discovered.get(issuer);
  if (cached) return cached;
  if (!providerUrlAllowed(issuer, config)) throw new DiscoveryRefused('the issuer must be an https URL');
  if (/[?#]/.test(issuer)) throw new DiscoveryRefused('an issuer has no query or fragment');
  let response: Response;
  try {
    response = await fetch(discoveryUrl(issuer), {
      ...providerFetchInit(config),
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    throw providerUnavailable(err);
  }
  if (response.status >= 500) {
    await response.body?.cancel();
    throw providerUnavailable();
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw new DiscoveryRefused(`its discovery document answered HTTP ${response.status}`);
  }
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new DiscoveryRefused('the discovery document is not JSON');
  }
  const metadata = metadataOf(json, issuer, config);
  discovered.set(issuer, metadata);
  return metadata;
}

/** For sign-in: a provider that stopped being usable is a failed sign-in the administrator must fix (503). */
export async function providerForSignIn(issuer: string, config: AppConfig): Promise<DiscoveredProvider> {
  try {
    return await discoverProvider(issuer, config);
  } catch (err) {
    if (!(err instanceof DiscoveryRefused)) throw err;
    throw providerUnavailable(err);
  }
}

export const issuerInvalid = (detail: string) =>
  new DomainError('rule_violation', `The issuer cannot be used: ${detail}.`, {
    code: 'sso_issuer_invalid',
    fields: [{ path: 'body.issuer', message: detail, code: 'sso_issuer_invalid' }],
  });
