import type { AppConfig } from '../../config.ts';
import { forbiddenRange, parseIPv4, parseIPv6 } from './ip-address.ts';
import { dohResolver, ResolverUnavailableError, type ResolveHost } from './resolve-host.ts';

export interface UrlPolicy {
  /** Local development: http and loopback hosts (localhost, 127.0.0.0/8, ::1) are allowed. */
  allowLoopbackHttp: boolean;
  /** Undefined: host names are not resolved (offline development); literals and names are still checked. */
  resolve: ResolveHost | undefined;
  /** Production: only the default https port, so a webhook cannot probe other services on a public host. */
  defaultPortOnly: boolean;
}

export type UrlVerdict =
  | { ok: true }
  /** forbidden: never deliverable; unresolvable: the name has no address; resolver: could not check now. */
  | { ok: false; kind: 'forbidden' | 'unresolvable' | 'resolver'; reason: string };

// Names that only mean something inside a network, never on the public internet.
const LOCAL_SUFFIXES = ['.localhost', '.local', '.localdomain', '.internal', '.intranet', '.lan', '.home.arpa'];

const refuse = (reason: string): UrlVerdict => ({ ok: false, kind: 'forbidden', reason });

/**
 * Where a webhook may be sent. Checked when the URL is set and again before every attempt, because DNS
 * can change in between (docs/decisions/0019): https only; no credentials in the URL; no IP literals (a
 * loopback one only under the development setting); no local-only names; and, with a resolver, no name
 * that resolves to any loopback, private, shared, link-local, metadata, unique-local or reserved address.
 */
export async function checkWebhookUrl(raw: string, policy: UrlPolicy): Promise<UrlVerdict> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('not a valid absolute URL');
  }
  if (url.username || url.password) return refuse('must not carry credentials');
  const host = url.hostname.replace(/\.$/, '');
  const literal = parseIPv4(host) ?? parseIPv6(host);
  const loopback = literal ? forbiddenRange(host) === 'loopback' : host === 'localhost' || host.endsWith('.localhost');
  const loopbackAllowed = loopback && policy.allowLoopbackHttp;

  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackAllowed)) return refuse('must use https');
  if (loopbackAllowed) return { ok: true };
  // URL normalises an explicit :443 away for https, so any port left is a non-default one.
  if (policy.defaultPortOnly && url.port !== '') return refuse(`must use the default https port 443, not ${url.port}`);
  if (literal)
    return refuse(`must name a host, not an IP address (${host} is ${forbiddenRange(host) ?? 'an IP literal'})`);
  if (loopback) return refuse(`${host} is a loopback host`);
  if (!host.includes('.') || LOCAL_SUFFIXES.some((suffix) => host.endsWith(suffix)))
    return refuse(`${host} is not a public host name`);
  if (!policy.resolve) return { ok: true };

  let addresses: string[];
  try {
    addresses = await policy.resolve(host);
  } catch (err) {
    if (err instanceof ResolverUnavailableError) return { ok: false, kind: 'resolver', reason: err.message };
    throw err;
  }
  if (addresses.length === 0) return { ok: false, kind: 'unresolvable', reason: `${host} does not resolve` };
  for (const address of addresses) {
    const range = forbiddenRange(address);
    if (range) return refuse(`${host} resolves to ${address} (${range})`);
  }
  return { ok: true };
}

export function urlPolicy(config: AppConfig): UrlPolicy {
  return {
    allowLoopbackHttp: config.webhooks.allowLoopbackHttp,
    resolve: config.webhooks.dnsResolverUrl ? dohResolver(config.webhooks.dnsResolverUrl) : undefined,
    defaultPortOnly: config.appEnv === 'production',
  };
}
