// HTTP(S) agents that connect only to addresses the policy allows. The name is resolved once, in the
// socket's own lookup: every address it resolves to is checked and the socket connects to exactly
// those checked addresses, so a DNS answer that changes between a check and the connect (rebinding)
// cannot steer the request elsewhere. IP-literal hosts never reach lookup; the agent checks them
// in createConnection.
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import { blockedRange, describe, type AddressPolicy } from './address-policy.js';

export interface ResolvedAddress { address: string; family: number }
/** Resolves a host name to all of its addresses; injectable so tests can stand in for DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The request was refused before connecting: the host is, or resolves to, a blocked address. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_BLOCKED_ADDRESS';
  constructor(readonly host: string, readonly address: string, readonly range: string) {
    super(address === host ? `${host} is a ${describe(range)} address` : `${host} resolves to ${address}, a ${describe(range)} address`);
  }
}

export function isBlockedAddressError(err: unknown): err is BlockedAddressError {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
    if (e instanceof BlockedAddressError || e.code === 'ERR_BLOCKED_ADDRESS') return true;
  }
  return false;
}

/** Resolves `host` and returns its addresses if none of them is blocked. */
export async function resolveAllowed(host: string, policy: AddressPolicy, resolve: Resolver = systemResolver): Promise<ResolvedAddress[]> {
  if (isIP(host)) {
    const range = blockedRange(host, policy);
    if (range) throw new BlockedAddressError(host, host, range);
    return [{ address: host, family: isIP(host) }];
  }
  const addresses = await resolve(host);
  if (addresses.length === 0) throw Object.assign(new Error(`${host} did not resolve`), { code: 'ENOTFOUND' });
  for (const a of addresses) {
    const range = blockedRange(a.address, policy);
    if (range) throw new BlockedAddressError(host, a.address, range);
  }
  return addresses;
}

/** A net/tls `lookup` that answers only with checked addresses (both the single and the `all` form). */
export function guardedLookup(policy: AddressPolicy, resolve: Resolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowed(hostname, policy, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) {
          callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '', 0);
        } else if (options.all) {
          (callback as unknown as (err: null, addrs: ResolvedAddress[]) => void)(null, wanted);
        } else {
          callback(null, wanted[0]!.address, wanted[0]!.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

type ConnectOptions = { host?: string | null; hostname?: string | null };

function checkLiteral(options: ConnectOptions, policy: AddressPolicy): void {
  const host = (options.host ?? options.hostname ?? '').replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    const range = blockedRange(host, policy);
    if (range) throw new BlockedAddressError(host, host, range);
  }
}

export interface GuardedAgents { httpAgent: http.Agent; httpsAgent: https.Agent }

/** One pair of agents per policy; keep-alive off so every request's connect goes through the checks. */
export function guardedAgents(policy: AddressPolicy, resolve: Resolver = systemResolver): GuardedAgents {
  const lookup = guardedLookup(policy, resolve);
  class GuardedHttpAgent extends http.Agent {
    override createConnection(options: http.ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void): Duplex | null | undefined {
      checkLiteral(options, policy);
      return super.createConnection(options, cb as never);
    }
  }
  class GuardedHttpsAgent extends https.Agent {
    override createConnection(options: http.ClientRequestArgs, cb?: (err: Error | null, s: Duplex) => void): Duplex | null | undefined {
      checkLiteral(options, policy);
      return super.createConnection(options, cb as never);
    }
  }
  return {
    httpAgent: new GuardedHttpAgent({ lookup, keepAlive: false } as http.AgentOptions),
    httpsAgent: new GuardedHttpsAgent({ lookup, keepAlive: false } as https.AgentOptions),
  };
}
