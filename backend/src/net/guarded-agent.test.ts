// Real sockets: a receiver on loopback stands for the operator's internal service.
import axios from 'axios';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRICT_POLICY } from './address-policy.js';
import { guardedAgents, isBlockedAddressError, type Resolver } from './guarded-agent.js';

let server: Server;
let port = 0;
let hits = 0;
beforeAll(async () => {
  server = createServer((_req, res) => {
    hits++;
    res.end('internal secret');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));

/** A DNS stand-in that counts its lookups and answers from a table. */
function dnsStub(table: Record<string, string[]>) {
  const calls: string[] = [];
  const resolve: Resolver = async (host) => {
    calls.push(host);
    return (table[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { resolve, calls };
}

const get = (url: string, agents: ReturnType<typeof guardedAgents>) =>
  axios.get(url, { ...agents, proxy: false, timeout: 2000, validateStatus: () => true });

async function refusal(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('request was not refused');
}

describe('guarded agents', () => {
  it('refuse a name that resolves to loopback, before any byte reaches the receiver', async () => {
    const dns = dnsStub({ 'hooks.evil.test': ['127.0.0.1'] });
    const before = hits;
    const err = await refusal(get(`http://hooks.evil.test:${port}/`, guardedAgents(STRICT_POLICY, dns.resolve)));
    expect(isBlockedAddressError(err)).toBe(true);
    expect((err as Error).message).toContain('hooks.evil.test resolves to 127.0.0.1, a loopback address');
    expect(hits).toBe(before);
  });

  it('refuse when any of the resolved addresses is internal (a public decoy first does not help)', async () => {
    const dns = dnsStub({ 'mixed.evil.test': ['93.184.216.34', '127.0.0.1'] });
    const err = await refusal(get(`http://mixed.evil.test:${port}/`, guardedAgents(STRICT_POLICY, dns.resolve)));
    expect(isBlockedAddressError(err)).toBe(true);
  });

  it('connect to the address they checked: one lookup per request, no second resolution (rebinding)', async () => {
    // Answers loopback only on the first call and a public address afterwards: a socket that looked the
    // name up again after the check would get another answer than the one judged.
    const calls: string[] = [];
    const flip: Resolver = async (host) => {
      calls.push(host);
      return [{ address: calls.length === 1 ? '127.0.0.1' : '93.184.216.34', family: 4 }];
    };
    const allowLoopback = { allowPrivate: false, allowedCidrs: ['127.0.0.1/32'] };
    const res = await get(`http://rebind.evil.test:${port}/`, guardedAgents(allowLoopback, flip));
    expect(res.data).toBe('internal secret'); // went to the checked 127.0.0.1, not to a second answer
    expect(calls).toEqual(['rebind.evil.test']);
  });

  it('refuse IP-literal hosts, which never go through lookup', async () => {
    const dns = dnsStub({});
    for (const url of [`http://127.0.0.1:${port}/`, `http://[::ffff:127.0.0.1]:${port}/`]) {
      expect(isBlockedAddressError(await refusal(get(url, guardedAgents(STRICT_POLICY, dns.resolve)))), url).toBe(true);
    }
    expect(dns.calls).toEqual([]);
  });

  it('use the real system resolver by default: localhost is refused', async () => {
    const err = await refusal(get(`http://localhost:${port}/`, guardedAgents(STRICT_POLICY)));
    expect(isBlockedAddressError(err)).toBe(true);
  });

  it('let the operator opt in by range or altogether', async () => {
    const dns = dnsStub({ 'receiver.internal': ['127.0.0.1'] });
    for (const policy of [{ allowPrivate: true, allowedCidrs: [] }, { allowPrivate: false, allowedCidrs: ['127.0.0.0/8'] }]) {
      const res = await get(`http://receiver.internal:${port}/`, guardedAgents(policy, dns.resolve));
      expect(res.status).toBe(200);
    }
    const narrow = { allowPrivate: false, allowedCidrs: ['10.0.0.0/8'] };
    expect(isBlockedAddressError(await refusal(get(`http://receiver.internal:${port}/`, guardedAgents(narrow, dns.resolve))))).toBe(true);
  });
});
