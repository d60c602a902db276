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
  return proxyAddr.compile(trust);
}

export function clientIp(req: IncomingMessage, trust: TrustFn): string {
  return proxyAddr(req, trust);
}
