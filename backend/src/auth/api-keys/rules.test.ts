import { describe, expect, it } from 'vitest';
import { displayPrefix, hashApiKey, keyMatches, looksLikeApiKey, newApiKey, parseApiKey } from './key-format.js';
import { API_SCOPES, grants, normalizeScopes, scopesGranting } from './scopes.js';

describe('API key format', () => {
  it('makes ocp_<id>_<secret> keys whose id is the row id and whose hash matches only the same key', () => {
    const a = newApiKey();
    expect(a.key).toMatch(/^ocp_[0-9a-f]{32}_[0-9a-f]{48}$/);
    expect(parseApiKey(a.key)).toEqual({ id: a.id });
    expect(a.keyHash).toBe(hashApiKey(a.key));
    expect(a.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(keyMatches(a.key, a.keyHash)).toBe(true);
    const tampered = a.key.slice(0, -1) + (a.key.endsWith('0') ? '1' : '0');
    expect(keyMatches(tampered, a.keyHash)).toBe(false);
    expect(keyMatches(a.key, 'not hex')).toBe(false);
    expect(newApiKey().key).not.toBe(a.key);
    expect(displayPrefix(a.id)).toBe(a.key.slice(0, 12));
  });

  it('parses nothing but the exact format', () => {
    const { key } = newApiKey();
    for (const bad of ['', 'ocp_', key.toUpperCase(), `${key}0`, key.slice(0, -1), key.replace('ocp_', 'ocx_'), `${key}\n`, ` ${key}`, key.replace(/_([0-9a-f]+)$/, '-$1')]) {
      expect(parseApiKey(bad), bad).toBeNull();
    }
    expect(looksLikeApiKey(key)).toBe(true);
    expect(looksLikeApiKey('eyJhbGciOi.x.y')).toBe(false);
  });
});

describe('scopes', () => {
  it('write includes read of the same resource, and nothing else', () => {
    expect(grants(['streams:write'], 'streams:read')).toBe(true);
    expect(grants(['streams:read'], 'streams:write')).toBe(false);
    expect(grants(['vods:write'], 'streams:read')).toBe(false);
    expect(grants(['webhooks:write'], 'webhooks:read')).toBe(true);
    expect(grants([], 'vods:read')).toBe(false);
    expect(grants(['admin', 'streams:*', '*'], 'streams:read')).toBe(false);
    for (const s of API_SCOPES) expect(grants([s], s)).toBe(true);
    expect(scopesGranting('vods:read')).toEqual(['vods:read', 'vods:write']);
  });

  it('stores scopes once each, in a fixed order', () => {
    expect(normalizeScopes(['webhooks:write', 'streams:read', 'streams:read'])).toEqual(['streams:read', 'webhooks:write']);
  });
});
