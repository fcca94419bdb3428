import { withTimeout } from '../../lib/timeout.ts';

/** Workers have no DNS API (no node:dns in workerd): host names are resolved over DNS-over-HTTPS (JSON format). */
export type ResolveHost = (host: string) => Promise<string[]>;

export class ResolverUnavailableError extends Error {
  override name = 'ResolverUnavailableError';
}

const RESOLVE_TIMEOUT_MS = 3_000;
const RECORD_TYPES = { A: 1, AAAA: 28 } as const;

interface DnsJson {
  Status: number;
  Answer?: Array<{ type: number; data: string }>;
}

/**
 * Every A and AAAA address of `host` (CNAMEs are followed by the resolver); [] when the name does not
 * exist. Throws ResolverUnavailableError when the resolver cannot answer, so callers fail closed.
 */
export function dohResolver(resolverUrl: string, fetcher: typeof fetch = fetch): ResolveHost {
  const query = async (host: string, type: keyof typeof RECORD_TYPES): Promise<string[]> => {
    const url = new URL(resolverUrl);
    url.searchParams.set('name', host);
    url.searchParams.set('type', type);
    let body: DnsJson;
    try {
      const res = await withTimeout(
        fetcher(url, { headers: { accept: 'application/dns-json' } }),
        RESOLVE_TIMEOUT_MS,
        'DNS resolver',
      );
      if (!res.ok) throw new Error(`resolver answered ${res.status}`);
      body = (await res.json()) as DnsJson;
    } catch (err) {
      throw new ResolverUnavailableError(
        `cannot resolve ${host}: ${err instanceof Error ? err.message : String(err)}`,
        { cause: err },
      );
    }
    if (body.Status === 3) return []; // NXDOMAIN
    if (body.Status !== 0) throw new ResolverUnavailableError(`cannot resolve ${host}: DNS status ${body.Status}`);
    return (body.Answer ?? []).filter((answer) => answer.type === RECORD_TYPES[type]).map((answer) => answer.data);
  };
  return async (host) => (await Promise.all([query(host, 'A'), query(host, 'AAAA')])).flat();
}
