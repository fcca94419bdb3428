/**
 * IP addresses a webhook must never reach, by range. Hosts in URLs arrive here already normalised by the
 * WHATWG URL parser (`http://2130706433/`, `http://0x7f.1/` and `http://127.1/` all become 127.0.0.1;
 * IPv6 literals become compressed lowercase), and DNS answers come as dotted quads or IPv6 text.
 */
export type AddressRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

export function parseIPv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** Eight 16-bit groups, or null. Accepts `::` compression and a dotted IPv4 tail (`::ffff:10.0.0.1`). */
export function parseIPv6(text: string): number[] | null {
  let address = text.toLowerCase();
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  if (!address.includes(':') || address.includes('%')) return null;
  const tail: number[] = [];
  const lastColon = address.lastIndexOf(':');
  const dotted = address.slice(lastColon + 1);
  if (dotted.includes('.')) {
    const v4 = parseIPv4(dotted);
    if (!v4) return null;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    // Keep a `::` that ends right before the IPv4 part; drop a single separating colon.
    address = address.slice(0, lastColon + 1);
    if (!address.endsWith('::')) address = address.slice(0, -1);
  }
  const halves = address.split('::');
  if (halves.length > 2) return null;
  const groups = (half: string) => (half === '' ? [] : half.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = Array<number>(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16)), ...tail];
}

function ipv4Range([a, b, c, d]: number[]): AddressRange | null {
  if (a === 0) return 'unspecified';
  if (a === 10) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'shared';
  if (a === 127) return 'loopback';
  if (a === 169 && b === 254) return c === 169 && d === 254 ? 'metadata' : 'link-local';
  if (a === 172 && b! >= 16 && b! <= 31) return 'private';
  if (a === 192 && b === 0 && c === 0) return 'reserved';
  if ((a === 192 && b === 0 && c === 2) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113))
    return 'documentation';
  if (a === 192 && b === 168) return 'private';
  if (a === 198 && (b === 18 || b === 19)) return 'benchmarking';
  if (a! >= 224 && a! <= 239) return 'multicast';
  if (a! >= 240) return 'reserved';
  return null;
}

const embeddedIPv4 = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff];

function ipv6Range(g: number[]): AddressRange | null {
  const [g0, g1, g2, g3, g4, g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::a.b.c.d): the IPv4 address decides.
  if (firstFiveZero && (g5 === 0xffff || g5 === 0)) return ipv4Range(embeddedIPv4(g6, g7));
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return ipv4Range(embeddedIPv4(g6, g7));
  // Local-use NAT64 (64:ff9b:1::/48, RFC 8215): the operator picks the prefix length, so where the IPv4 address
  // sits (and so whether it is private) cannot be known from outside. None of it is a public destination.
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return 'reserved';
  // 6to4 (2002:aabb:ccdd::) carries the IPv4 address in the next 32 bits.
  if (g0 === 0x2002) return ipv4Range(embeddedIPv4(g1, g2));
  // Teredo (2001:0::/32, RFC 4380): the relay's IPv4 address in groups 2–3 and the client's, bit-inverted, in
  // groups 6–7; a private address in either would let the tunnel reach inside a network.
  if (g0 === 0x2001 && g1 === 0) {
    return ipv4Range(embeddedIPv4(g2, g3)) ?? ipv4Range(embeddedIPv4(~g6 & 0xffff, ~g7 & 0xffff));
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x0100 && g1 === 0 && g2 === 0 && g3 === 0) return 'reserved';
  return null;
}

export function isIpLiteral(host: string): boolean {
  return parseIPv4(host) !== null || parseIPv6(host) !== null;
}

/** The forbidden range an address falls in, or null for a public unicast address. Unparseable text is 'reserved'. */
export function forbiddenRange(address: string): AddressRange | null {
  const v4 = parseIPv4(address);
  if (v4) return ipv4Range(v4);
  const v6 = parseIPv6(address);
  return v6 ? ipv6Range(v6) : 'reserved';
}
