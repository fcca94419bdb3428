import { allowInsecureRequests } from 'oauth4webapi';
import type { AppConfig } from '../../config.ts';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** http to this machine: the local provider of `npm run dev` and the tests, allowed only when configured. */
export const isLoopbackHttp = (url: string): boolean => {
  const parsed = new URL(url);
  return parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname);
};

/**
 * Options of every request to an identity provider: bounded in time (a hung provider costs a sign-in, not a
 * Worker), and plain http only to loopback under SSO_ALLOW_LOOPBACK_HTTP; oauth4webapi refuses http otherwise.
 */
export function providerRequestOptions(config: AppConfig, url: string) {
  return {
    signal: AbortSignal.timeout(config.sso.httpTimeoutMs),
    [allowInsecureRequests]: config.sso.allowLoopbackHttp && isLoopbackHttp(url),
  };
}
