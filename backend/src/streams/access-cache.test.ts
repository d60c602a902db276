import { describe, expect, it } from 'vitest';
import { AccessCache } from './access-cache.js';

describe('access cache', () => {
  it('coalesces concurrent misses into one load and serves hits from memory', async () => {
    let loads = 0;
    const cache = new AccessCache(async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 20));
      return { visibility: 'public', status: 'live' };
    });
    const all = await Promise.all(Array.from({ length: 100 }, () => cache.get('s1')));
    expect(all.every((f) => f?.visibility === 'public')).toBe(true);
    await cache.get('s1');
    expect(loads).toBe(1);
  });
  it('does not let a load that raced an invalidation repopulate stale facts', async () => {
    let visibility: 'public' | 'private' = 'public';
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let first = true;
    const cache = new AccessCache(async () => {
      const v = visibility;
      if (first) {
        first = false;
        await gate;
      }
      return { visibility: v, status: 'idle' };
    });
    const stale = cache.get('s');
    visibility = 'private';
    cache.invalidate('s');
    release();
    await stale;
    expect((await cache.get('s'))?.visibility).toBe('private');
  });
  it('expires entries after the TTL', async () => {
    let n = 0;
    const cache = new AccessCache(async () => ({ visibility: n++ === 0 ? 'public' : 'private', status: 'idle' }), 10);
    expect((await cache.get('s', 0))?.visibility).toBe('public');
    await new Promise((r) => setTimeout(r, 20));
    expect((await cache.get('s'))?.visibility).toBe('private');
  });
});

describe('access cache during a database outage', () => {
  it('serves an expired entry when the load fails, and fails when it has nothing', async () => {
    let down = false;
    const cache = new AccessCache(async () => {
      if (down) throw new Error('db down');
      return { visibility: 'public', status: 'live' };
    }, 10);
    await cache.get('known');
    await new Promise((r) => setTimeout(r, 20));
    down = true;
    expect((await cache.get('known'))?.status).toBe('live');
    await expect(cache.get('unknown')).rejects.toThrow('db down');
  });
});
