// TRUST_PROXY as documented (a hop count, true/false, or an address list) must reach Express as
// what Express expects: checked on a real Express app answering req.ip behind forwarded hops.
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';
import { buildConfig } from './index.js';

const valid = {
  DATABASE_URL: 'postgresql://u@localhost/db',
  REDIS_URL: 'redis://localhost:6379',
  SESSION_JWT_SECRET: 's'.repeat(32),
  PUBLISH_JWT_SECRET: 'p'.repeat(32),
  PLAYBACK_JWT_SECRET: 'v'.repeat(32),
  OME_WEBHOOK_SECRET: 'ome-secret',
  OME_PUBLIC_HOST: 'live.example.com',
};
const trust = (v?: string) => buildConfig(parseEnv({ ...valid, ...(v === undefined ? {} : { TRUST_PROXY: v }) })).trustProxy;

/** req.ip as Express computes it with this setting, for a request from 127.0.0.1 with X-Forwarded-For. */
async function clientIp(setting: unknown, forwardedFor: string): Promise<string> {
  const app = express();
  app.set('trust proxy', setting);
  app.get('/', (req, res) => void res.send(req.ip));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { headers: { 'x-forwarded-for': forwardedFor } });
    return await res.text();
  } finally {
    server.close();
  }
}

describe('TRUST_PROXY', () => {
  it('parses hop counts, booleans and address lists into what Express expects', () => {
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('0')).toBe(0);
    expect(trust('true')).toBe(true);
    expect(trust('FALSE')).toBe(false);
    expect(trust(undefined)).toEqual(['loopback']);
    expect(trust('loopback, uniquelocal')).toEqual(['loopback', 'uniquelocal']);
    expect(trust('10.0.0.0/8,192.168.1.7,fd00::/8,::1')).toEqual(['10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1']);
  });

  it('refuses what Express would misread, naming the variable', () => {
    for (const bad of ['yes', 'loopbak', '10.0.0.0/33', '::1/129', '300.1.1.1', '1.2.3.4/x', '1,2', ',', '101']) {
      expect(() => trust(bad), bad).toThrowError(/TRUST_PROXY/);
    }
  });

  it('a hop count of 1 believes one proxy hop (it used to be the IP 0.0.0.1, so every client shared one address)', async () => {
    expect(await clientIp(trust('1'), '198.51.100.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(await clientIp(trust('2'), '198.51.100.1, 203.0.113.9')).toBe('198.51.100.1');
    expect(await clientIp(trust('false'), '203.0.113.9')).toBe('127.0.0.1');
    expect(await clientIp(trust('loopback'), '203.0.113.9')).toBe('203.0.113.9');
    expect(await clientIp(trust('10.0.0.0/8'), '203.0.113.9')).toBe('127.0.0.1');
  });
});
