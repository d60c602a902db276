import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './sign.js';

describe('outgoing webhook signature', () => {
  const body = '{"id":"e1","type":"stream.live"}';
  it('is HMAC-SHA256 over "<t>.<body>" in hex', () => {
    const h = signWebhook('whsec_x', body, 1700000000);
    expect(h).toBe(`t=1700000000,v1=${createHmac('sha256', 'whsec_x').update(`1700000000.${body}`).digest('hex')}`);
    expect(verifyWebhook('whsec_x', body, h, 1700000100)).toBe(true);
  });
  it('fails on another body, secret, a stale timestamp or a mangled header', () => {
    const h = signWebhook('whsec_x', body, 1700000000);
    expect(verifyWebhook('whsec_x', `${body} `, h, 1700000000)).toBe(false);
    expect(verifyWebhook('whsec_y', body, h, 1700000000)).toBe(false);
    expect(verifyWebhook('whsec_x', body, h, 1700000000 + 301)).toBe(false);
    expect(verifyWebhook('whsec_x', body, h.replace('t=1700000000', 't=1700000001'), 1700000001)).toBe(false);
    expect(verifyWebhook('whsec_x', body, 'garbage', 1700000000)).toBe(false);
  });
});
