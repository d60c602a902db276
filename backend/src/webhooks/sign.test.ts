import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingSecrets, signWebhook, verifyWebhook } from './sign.js';

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
  it('signs with both secrets during a rotation overlap: either one verifies, the new one first', () => {
    const h = signWebhook(['whsec_new', 'whsec_old'], body, 1700000000);
    expect(h.split(',').map((p) => p.split('=')[0])).toEqual(['t', 'v1', 'v1']);
    expect(h.split(',')[1]).toBe(signWebhook('whsec_new', body, 1700000000).split(',')[1]);
    expect(verifyWebhook('whsec_new', body, h, 1700000000)).toBe(true);
    expect(verifyWebhook('whsec_old', body, h, 1700000000)).toBe(true);
    expect(verifyWebhook('whsec_other', body, h, 1700000000)).toBe(false);
    expect(verifyWebhook('whsec_new', body, `${h},t=1700000001`, 1700000000)).toBe(false); // one timestamp only
  });
  it('uses the previous secret only until its overlap ends', () => {
    const e = { secret: 'whsec_new', previousSecret: 'whsec_old', previousSecretExpiresAt: new Date(2_000_000) };
    expect(signingSecrets(e, 1_999_999)).toEqual(['whsec_new', 'whsec_old']);
    expect(signingSecrets(e, 2_000_000)).toEqual(['whsec_new']);
    expect(signingSecrets({ ...e, previousSecret: null }, 0)).toEqual(['whsec_new']);
  });
});
