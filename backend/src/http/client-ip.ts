// The client address of a request outside Express (the beacon endpoint is plain node:http), judged by
// TRUST_PROXY exactly as Express's `trust proxy` setting judges req.ip (same proxy-addr rules).
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../config/trust-proxy.js';

export type TrustFn = (addr: string, hop: number) => boolean;

/** TRUST_PROXY → proxy-addr's trust function (as express's compileTrust builds it). */
export function compileTrust(trust: TrustProxy): TrustFn {
  if (trust === true) return () => true;
  if (trust === false) return () => false;
  if (typeof trust === 'number') return (_a, i) => i < trust;
  // An address list judges each address alone (not its hop): remember the answers, so the few
  // proxy addresses (and recent clients) are not parsed again on every request.
  const judge = proxyAddr.compile(trust);
  const known = new Map<string, boolean>();
  return (addr, i) => {
    let v = known.get(addr);
    if (v === undefined) {
      v = judge(addr, i);
      if (known.size >= 10_000) known.clear();
      known.set(addr, v);
    }
    return v;
  };
}

export function clientIp(req: IncomingMessage, trust: TrustFn): string {
  return proxyAddr(req, trust);
}
