import { describe, expect, it } from 'vitest';
import { LOCK_KEYS } from './lock-keys.js';

describe('advisory lock keys', () => {
  it('are distinct bigint-safe integers (a shared key makes two periodic jobs skip each other)', () => {
    const keys = Object.values(LOCK_KEYS);
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(Number.isSafeInteger(k)).toBe(true);
  });
});
