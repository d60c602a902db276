// Shared budgets against a real Redis: exact on one replica, shared by several through Redis (with
// the rate-limit-redis key layout), and still limiting while Redis is away.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { SharedBudgets } from './rate-budget.js';

const clients: Redis[] = [];
const budgets: SharedBudgets[] = [];
afterAll(async () => {
  for (const b of budgets) await b.close();
  for (const c of clients) c.disconnect();
});
function replica(url = inject('redisUrl'), opts: { windowMs?: number; sweepMs?: number; maxKeys?: number } = {}) {
  const r = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false });
  r.on('error', () => undefined);
  clients.push(r);
  const b = new SharedBudgets(r, { windowMs: 60_000, syncMs: 60_000, ...opts });
  budgets.push(b);
  return { r, b };
}
const ready = (r: Redis) => new Promise<void>((resolve) => (r.status === 'ready' ? resolve() : r.once('ready', () => resolve())));
const prefix = () => `${inject('redisPrefix')}:rl:budget-test-${randomUUID().slice(0, 8)}:`;
const allowed = (b: SharedBudgets, budget: { prefix: string; limit: number }, key: string, n: number) =>
  Array.from({ length: n }, () => b.take([{ budget, key }])[0]!.allowed);

describe('SharedBudgets', () => {
  it('one replica: exactly `limit` hits per window, refused ones counted too; each budget on its own', async () => {
    const { b, r } = replica();
    await ready(r);
    const ip = { prefix: prefix(), limit: 3 };
    const viewer = { prefix: prefix(), limit: 2 };
    const v = Array.from({ length: 4 }, () => b.take([{ budget: ip, key: '10.0.0.1' }, { budget: viewer, key: 'p1' }]).map((x) => x.allowed));
    expect(v).toEqual([[true, true], [true, true], [true, false], [false, false]]);
    const refused = b.take([{ budget: ip, key: '10.0.0.1' }])[0]!;
    expect(refused.retryAfterSeconds).toBeGreaterThan(50);
    expect(allowed(b, ip, '10.0.0.2', 1)).toEqual([true]);
    await b.sync();
    // The same key layout and window as rate-limit-redis: `<prefix><key>` holding the count, expiring with the window.
    expect(await r.get(`${ip.prefix}10.0.0.1`)).toBe('5');
    expect(await r.pttl(`${ip.prefix}10.0.0.1`)).toBeGreaterThan(55_000);
  });

  it('replicas share one count through Redis once they have synced', async () => {
    const a = replica();
    const c = replica();
    await Promise.all([ready(a.r), ready(c.r)]);
    const budget = { prefix: prefix(), limit: 5 };
    expect(allowed(a.b, budget, 'k', 3)).toEqual([true, true, true]);
    await a.b.sync();
    // The other replica learns the total with its first sync of the key...
    expect(allowed(c.b, budget, 'k', 1)).toEqual([true]);
    await c.b.sync();
    // ...and from then on counts from it: 4 so far, one more fits.
    expect(allowed(c.b, budget, 'k', 2)).toEqual([true, false]);
    await c.b.sync();
    await a.b.sync();
    expect(allowed(a.b, budget, 'k', 1)).toEqual([true]);
    await a.b.sync();
    expect(allowed(a.b, budget, 'k', 1)).toEqual([false]);
  });

  it('Redis away: no error, this replica still limits on its own, and sends its hits once Redis is back', async () => {
    const { b, r } = replica();
    await ready(r);
    r.disconnect();
    await new Promise<void>((resolve) => (r.status === 'end' ? resolve() : r.once('end', () => resolve())));
    const budget = { prefix: prefix(), limit: 2 };
    expect(allowed(b, budget, 'k', 3)).toEqual([true, true, false]);
    await b.sync();
    expect(allowed(b, budget, 'k', 1)).toEqual([false]);
    await r.connect();
    await ready(r);
    await b.sync();
    expect(await r.get(`${budget.prefix}k`)).toBe('4');
  });

  it('many keys: each counted on its own; ended windows are forgotten and their slots reused without mixing counts', async () => {
    const { b, r } = replica(inject('redisUrl'), { windowMs: 1000, sweepMs: 0 });
    await ready(r);
    const ip = { prefix: prefix(), limit: 2 };
    const viewer = { prefix: prefix(), limit: 1 };
    // Past the table's first capacity (1,024 slots), and the same key in two budgets.
    for (let i = 0; i < 1500; i++) expect(allowed(b, ip, `k${i}`, 1 + (i % 3))).toEqual([true, true, false].slice(0, 1 + (i % 3)));
    expect(allowed(b, viewer, 'k7', 2)).toEqual([true, false]);
    expect(b.size).toBe(1500 + 1);
    await b.sync();
    expect(await r.get(`${ip.prefix}k7`)).toBe('2');
    expect(await r.get(`${ip.prefix}k1499`)).toBe('3');
    expect(await r.get(`${ip.prefix}k0`)).toBe('1');
    expect(await r.get(`${viewer.prefix}k7`)).toBe('2');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await b.sync();
    expect(b.size).toBe(0);
    // New keys take the freed slots; an old key starts a new window from zero.
    expect(allowed(b, viewer, 'fresh', 1)).toEqual([true]);
    expect(allowed(b, ip, 'k1499', 3)).toEqual([true, true, false]);
    expect(b.size).toBe(2);
    await b.sync();
    expect(await r.get(`${ip.prefix}k1499`)).toBe('3');
    expect(await r.get(`${viewer.prefix}fresh`)).toBe('1');
  });

  it('past maxKeys new keys pass uncounted; keys already counted are still limited', () => {
    const { b } = replica(inject('redisUrl'), { maxKeys: 2 });
    const budget = { prefix: prefix(), limit: 1 };
    expect(allowed(b, budget, 'a', 2)).toEqual([true, false]);
    expect(allowed(b, budget, 'b', 1)).toEqual([true]);
    expect(allowed(b, budget, 'c', 3)).toEqual([true, true, true]);
    expect(allowed(b, budget, 'a', 1)).toEqual([false]);
    expect(b.size).toBe(2);
  });
});
