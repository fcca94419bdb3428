import { parseIPv4, parseIPv6 } from '../webhooks/ip-address.ts';

/** Requests that arrive without an address (local development, tests that set none) share one budget. */
export const UNKNOWN_CLIENT = 'unknown';

/**
 * The identity a per-address limit counts: the IPv4 address, or the /64 an IPv6 address belongs to (one
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would let them rotate freely).
 * Only CF-Connecting-IP is read: Cloudflare sets it and clients cannot override it; X-Forwarded-For can be
 * written by anyone.
 */
export function clientAddressKey(header: string | undefined): string {
  const value = header?.trim();
  if (!value) return UNKNOWN_CLIENT;
  // Cloudflare sends addresses in canonical form: an IPv4 one is its own key (the common case, kept cheap).
  if (!value.includes(':')) return parseIPv4(value) ? value : UNKNOWN_CLIENT;
  const v6 = parseIPv6(value);
  if (!v6) return UNKNOWN_CLIENT;
  return `${v6
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`;
}
