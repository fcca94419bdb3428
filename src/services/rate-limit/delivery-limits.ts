import { IsolateCache } from '../../cache/isolate-cache.ts';
import { sha256Hex } from '../../lib/sha256.ts';
import type { ServiceContext } from '../container.ts';
import { peekOrganization } from '../delivery/resolve-delivery-access.ts';
import type { RateLimitPolicy } from './check-rate-limit.ts';

export interface DeliveryRateLimitCheck {
  policy: RateLimitPolicy;
  identifier: string;
}

/** Who is asking, as far as it can be told before any lookup. */
export interface DeliveryCaller {
  /** The organization slug of the path; undefined when the path has none that could exist. */
  slug: string | undefined;
  /** clientAddressKey() of the request. */
  address: string;
  /** The digest of the bearer secret (seenCredential); undefined without a usable one. */
  credentialKey: string | undefined;
}

/** A delivery credential this isolate saw in the last minute. */
export interface SeenCredential {
  /**
   * The SHA-256 of the secret (the digest the store keys tokens by): it names the token before KV or
   * Postgres is asked which one it is, and the secret itself never reaches Redis.
   */
  digest: string;
  /** Whether a request with it was answered without a 401 since (see the failed-authentication check). */
  accepted: boolean;
}

// Per isolate, keyed by the secret (it never leaves memory): a busy token is hashed once a minute, not per request.
const seen = new IsolateCache<SeenCredential>({ ttlMs: 60_000, maxEntries: 10_000 });

export async function seenCredential(secret: string): Promise<SeenCredential> {
  const known = seen.get(secret);
  if (known) return known;
  const entry = { digest: await sha256Hex(secret), accepted: false };
  seen.set(secret, entry);
  return entry;
}

/**
 * The two limits of a delivery request (docs/decisions/0029), decided without Postgres:
 * - `delivery-ip`: requests per client address. The organization's own limit when this isolate or KV
 *   already knows the organization, counted per organization and address; otherwise (unknown slugs, an
 *   organization not at the edge yet) the platform default, counted per address across all organizations.
 * - `delivery-token`: requests per delivery token; without a token, per organization and address.
 */
export async function deliveryRateLimitChecks({
  ctx,
  input,
}: {
  ctx: ServiceContext;
  input: DeliveryCaller;
}): Promise<DeliveryRateLimitCheck[]> {
  const { slug, address, credentialKey: token } = input;
  const organization = slug ? await peekOrganization(ctx, slug) : undefined;
  const defaults = ctx.services.config.rateLimits.delivery;
  const own = organization?.rateLimits;
  const perIp = own?.perIpPerMinute ?? undefined;
  return [
    {
      policy: { name: 'delivery-ip', limit: perIp ?? defaults.perIpPerMinute, windowSeconds: 60 },
      identifier: perIp && organization ? `org:${organization.id}:${address}` : address,
    },
    {
      policy: {
        name: 'delivery-token',
        limit: own?.perTokenPerMinute ?? defaults.perTokenPerMinute,
        windowSeconds: 60,
      },
      identifier: token ? `token:${token}` : `anonymous:${slug ?? ''}:${address}`,
    },
  ];
}
