import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { omeSignature, verifyOmeSignature } from './signature.js';

const dir = path.join(import.meta.dirname, '../../test/fixtures/ome/webhooks');
const captures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ name: f, ...(JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { rawBody: string; headers: Record<string, string> }) }));

describe('X-OME-Signature', () => {
  it('has captured requests to check against', () => expect(captures.length).toBeGreaterThanOrEqual(14));

  it.each(captures.map((c) => [c.name, c] as const))('accepts the real OME 0.20 signature of %s', (_n, c) => {
    expect(verifyOmeSignature('fixture-secret', Buffer.from(c.rawBody), c.headers['x-ome-signature'])).toBe(true);
    expect(omeSignature('fixture-secret', c.rawBody)).toBe(c.headers['x-ome-signature']);
  });

  const c = captures.find((x) => /[-_]/.test(x.headers['x-ome-signature']!))!;
  const sig = c.headers['x-ome-signature']!;
  const body = Buffer.from(c.rawBody);

  it('refuses a tampered body, a wrong secret, a missing or mangled header', () => {
    expect(verifyOmeSignature('fixture-secret', Buffer.from(c.rawBody.replace('incoming', 'outgoing')), sig)).toBe(false);
    expect(verifyOmeSignature('other-secret', body, sig)).toBe(false);
    expect(verifyOmeSignature('fixture-secret', body, undefined)).toBe(false);
    expect(verifyOmeSignature('fixture-secret', body, '')).toBe(false);
    expect(verifyOmeSignature('fixture-secret', body, sig.slice(0, -1))).toBe(false);
    expect(verifyOmeSignature('fixture-secret', body, `${sig}AAAA`)).toBe(false);
    // standard base64 (+ and /) is not what OME sends
    expect(verifyOmeSignature('fixture-secret', body, sig.replace(/-/g, '+').replace(/_/g, '/'))).toBe(false);
    // hex of the right HMAC is not accepted either
    expect(verifyOmeSignature('fixture-secret', body, Buffer.from(sig, 'base64url').toString('hex'))).toBe(false);
  });

  it('accepts the padded url-safe form of the same digest', () => {
    expect(verifyOmeSignature('fixture-secret', body, `${sig}=`)).toBe(true);
  });
});
