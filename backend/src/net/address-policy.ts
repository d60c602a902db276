// Which network addresses a URL a user typed may reach (pure). Outgoing webhooks and restream
// destinations are user input: without this an account could make the platform send requests to
// Redis, PostgreSQL, the cloud metadata service or anything else on the operator's network (SSRF).
//
// Only globally routable unicast addresses pass by default. ipaddr.js classifies the ranges
// (loopback, RFC 1918, link-local incl. 169.254.169.254, CGNAT, multicast, unspecified, broadcast,
// reserved, IPv6 ULA/link-local, 6to4/Teredo/NAT64 forms that embed IPv4); IPv4-mapped IPv6 is
// judged as the IPv4 address it carries. Host spellings (decimal, octal, hex, short forms,
// full-width digits) are normalised by the WHATWG URL parser before any of this runs.
import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

export interface AddressPolicy {
  /** Operator opt-in: every address is allowed (a self-hosted stack whose receivers live on the private network). */
  allowPrivate: boolean;
  /** Operator opt-in for some ranges only, as CIDR strings ("10.0.0.0/8", "fd00::/8", "192.168.1.20/32"). */
  allowedCidrs: readonly string[];
}

export const STRICT_POLICY: AddressPolicy = Object.freeze({ allowPrivate: false, allowedCidrs: [] });

type Parsed = ipaddr.IPv4 | ipaddr.IPv6;

function unmapped(addr: Parsed): Parsed {
  return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
}

/** Parses "a.b.c.d/n" or "v6::/n" (an address alone is a /32 or /128); null when it is not one. */
export function parseCidr(raw: string): [Parsed, number] | null {
  const s = raw.trim();
  try {
    if (s.includes('/')) return ipaddr.parseCIDR(s);
    const a = ipaddr.parse(s);
    if (!isIP(s)) return null; // ipaddr also takes "0x7f.1"; an operator's list must be written plainly
    return [a, a.kind() === 'ipv4' ? 32 : 128];
  } catch {
    return null;
  }
}

/** WEBHOOK_ALLOWED_CIDRS → list, or the entries that are not CIDR ranges. */
export function parseCidrList(raw: string): string[] | { bad: string[] } {
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = entries.filter((e) => parseCidr(e) === null);
  return bad.length ? { bad } : entries;
}

function inAllowedCidr(addr: Parsed, cidrs: readonly string[]): boolean {
  return cidrs.some((c) => {
    const range = parseCidr(c);
    if (!range) return false;
    const [net, bits] = range;
    const a = unmapped(addr);
    const n = unmapped(net);
    // A mapped range such as ::ffff:10.0.0.0/104 becomes an IPv4 one.
    const b = n !== net ? bits - 96 : bits;
    return a.kind() === n.kind() && a.match(n as never, b);
  });
}

/**
 * Why an address may not be reached under `policy` (its range name, e.g. "loopback", "private",
 * "linkLocal"), or null when it may. Anything that does not parse as an IP address is refused.
 */
export function blockedRange(address: string, policy: AddressPolicy): string | null {
  const plain = address.replace(/^\[|\]$/g, '');
  // Only canonical forms: resolvers and sockets never hand back "0x7f.1", and ipaddr would accept it.
  if (!isIP(plain)) return 'invalid';
  let addr: Parsed;
  try {
    addr = unmapped(ipaddr.parse(plain));
  } catch {
    return 'invalid';
  }
  const range = addr.range();
  if (range === 'unicast') return null;
  if (policy.allowPrivate || inAllowedCidr(addr, policy.allowedCidrs)) return null;
  return range;
}

/**
 * The host of a http(s), rtmp(s) or srt URL as the network will see it: lower case, IP literals in
 * canonical form (IPv6 without brackets). rtmp:// and srt:// are not "special" schemes for the URL
 * parser, so their authority is parsed again as http to get the same normalisation of IPv4
 * spellings that a resolver or socket would apply ("rtmp://0x7f.1/" is 127.0.0.1).
 */
export function urlHost(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
    if (!/^(https?|rtmps?|srt):$/.test(u.protocol)) return null;
    if (u.protocol === 'rtmp:' || u.protocol === 'rtmps:' || u.protocol === 'srt:') u = new URL(`http://${u.host}/`);
  } catch {
    return null;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  return host === '' ? null : host;
}

export type HostCheck = { ok: true; host: string; literal: boolean } | { ok: false; reason: string };

/**
 * Registration-time check: a host that is an IP literal is judged now; names that are loopback by
 * definition (RFC 6761 "localhost") are refused too. Other names can only be judged when they are
 * resolved, at connect time (see guarded-agent.ts).
 */
export function checkUrlHost(url: string, policy: AddressPolicy): HostCheck {
  const host = urlHost(url);
  if (host === null) return { ok: false, reason: 'the URL has no host' };
  if (isIP(host)) {
    const range = blockedRange(host, policy);
    return range === null ? { ok: true, host, literal: true } : { ok: false, reason: `${host} is a ${describe(range)} address` };
  }
  if (host === 'localhost' || host.endsWith('.localhost')) {
    return policy.allowPrivate || inAllowedCidr(ipaddr.parse('127.0.0.1'), policy.allowedCidrs)
      ? { ok: true, host, literal: false }
      : { ok: false, reason: `${host} is a loopback name` };
  }
  return { ok: true, host, literal: false };
}

const NAMES: Record<string, string> = {
  loopback: 'loopback', private: 'private-network', linkLocal: 'link-local', carrierGradeNat: 'carrier-grade NAT',
  uniqueLocal: 'unique-local (private IPv6)', unspecified: 'unspecified', multicast: 'multicast', broadcast: 'broadcast',
  reserved: 'reserved', invalid: 'invalid',
};

export function describe(range: string): string {
  return NAMES[range] ?? `non-public (${range})`;
}
