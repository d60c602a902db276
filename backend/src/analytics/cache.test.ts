import { describe, expect, it } from 'vitest';
import { FactCache } from './cache.js';

function loader() {
  const calls: string[] = [];
  let version = 1;
  const gates: (() => void)[] = [];
  return {
    calls,
    bump: () => void version++,
    /** Loads wait for release() when held. */
    hold: false,
    release: () => gates.splice(0).forEach((g) => g()),
    async load(this: { hold: boolean }, key: string) {
      calls.push(key);
      const v = `${key}@${version}`;
      if (this.hold) await new Promise<void>((r) => gates.push(r));
      return v;
    },
  };
}

describe('FactCache', () => {
  it('one load for concurrent misses; cached within the TTL', async () => {
    const l = loader();
    const c = new FactCache((k) => l.load.call(l, k), 1000);
    const t = Date.now();
    expect(await Promise.all([c.get('a', undefined, t), c.get('a', undefined, t), c.get('a', undefined, t)])).toEqual(['a@1', 'a@1', 'a@1']);
    l.bump();
    expect(await c.get('a', undefined, t + 500)).toBe('a@1');
    expect(l.calls).toEqual(['a']);
  });

  it('past the TTL answers the old value at once and refreshes in the background; a fresher wish waits', async () => {
    const l = loader();
    const c = new FactCache((k) => l.load.call(l, k), 1000);
    await c.get('a');
    l.bump();
    l.hold = true;
    const later = Date.now() + 1500;
    // Stale but usable: answered without waiting for the held load.
    expect(await c.get('a', undefined, later)).toBe('a@1');
    expect(l.calls).toEqual(['a', 'a']);
    // Asking for at most 100 ms old waits for that load.
    const fresh = c.get('a', 100, later);
    l.release();
    expect(await fresh).toBe('a@2');
    expect(l.calls).toHaveLength(2);
    // Far past the TTL (twice it), the old value is no longer answered.
    l.hold = false;
    l.bump();
    expect(await c.get('a', undefined, Date.now() + 2500)).toBe('a@3');
  });

  it('invalidate() drops the entry, and a load that began before it does not fill the cache', async () => {
    const l = loader();
    const c = new FactCache((k) => l.load.call(l, k), 10_000);
    l.hold = true;
    const first = c.get('a');
    c.invalidate('a');
    l.release();
    expect(await first).toBe('a@1');
    l.hold = false;
    l.bump();
    expect(await c.get('a')).toBe('a@2');
    l.bump();
    c.invalidate('a');
    expect(await c.get('a')).toBe('a@3');
  });

  it('keeps at most maxEntries (the oldest go first)', async () => {
    const l = loader();
    const c = new FactCache((k) => l.load.call(l, k), 10_000, 2);
    await c.get('a');
    await c.get('b');
    await c.get('c');
    await c.get('b');
    await c.get('a');
    expect(l.calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('peek() answers only a value within its TTL, without loading', async () => {
    const l = loader();
    const c = new FactCache((k) => l.load.call(l, k), 1000);
    expect(c.peek('a')).toBeUndefined();
    await c.get('a');
    expect(c.peek('a')).toBe('a@1');
    expect(c.peek('a', Date.now() + 1500)).toBeUndefined();
    c.invalidate('a');
    expect(c.peek('a')).toBeUndefined();
    expect(l.calls).toEqual(['a']);
  });
});
