// TRUST_PROXY → the value Express's `trust proxy` setting expects (pure).
// Express takes a boolean (trust every / no hop), a number (trust that many hops from the socket)
// or a list of addresses, CIDR ranges and the names loopback / linklocal / uniquelocal. A string is
// otherwise handed to proxy-addr as an address list, so "1" became the IP 0.0.0.1 and "false" threw
// at start-up; here each form is recognised and checked before the app is built.
import { isIP } from 'node:net';
import { z } from 'zod';

export type TrustProxy = boolean | number | string[];

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One list entry: a named range, an IP address, or address/prefix with a prefix that fits the family. */
export function isTrustEntry(entry: string): boolean {
  if (NAMED.has(entry)) return true;
  const [addr = '', prefix, ...rest] = entry.split('/');
  if (rest.length) return false;
  const family = isIP(addr);
  if (!family) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export function parseTrustProxy(raw: string): TrustProxy | { error: string } {
  const v = raw.trim().toLowerCase();
  if (v === 'true') return true;
  if (v === 'false') return false;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 100 ? hops : { error: 'a hop count must be at most 100' };
  }
  const entries = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.length === 0) return { error: 'must not be empty' };
  const bad = entries.filter((e) => !isTrustEntry(e));
  if (bad.length) {
    return { error: `not a hop count, true/false, or an address list (loopback, linklocal, uniquelocal, IPs, CIDR ranges): ${bad.map((b) => JSON.stringify(b)).join(', ')}` };
  }
  return entries;
}

export const trustProxySchema = z.string().transform((raw, ctx): TrustProxy => {
  const parsed = parseTrustProxy(raw);
  if (typeof parsed === 'object' && !Array.isArray(parsed)) {
    ctx.addIssue({ code: 'custom', message: `TRUST_PROXY ${parsed.error}` });
    return z.NEVER;
  }
  return parsed;
});
