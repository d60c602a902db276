// The private-network policy for restream destinations: the same one outgoing webhooks follow
// (net/address-policy.ts, config `outbound`: WEBHOOK_ALLOW_PRIVATE / WEBHOOK_ALLOWED_CIDRS). Pure.
// At registration a host that is an IP literal (any spelling) or a loopback name is judged; a name is
// judged again when a push starts, on the addresses it resolves to (supervisor.ts), since OME, not
// this process, connects to the destination.
import { blockedRange, checkUrlHost, describe, type AddressPolicy } from '../net/address-policy.js';

export type { AddressPolicy };

/** Registration: null when the URL's host may be a destination, else why not. */
export function destinationUrlProblem(url: string, policy: AddressPolicy): string | null {
  const r = checkUrlHost(url, policy);
  return r.ok ? null : r.reason;
}

/** Push start: null when a resolved address may be reached, else the name of its range. */
export function destinationAddressProblem(address: string, policy: AddressPolicy): string | null {
  const range = blockedRange(address, policy);
  return range === null ? null : describe(range);
}
