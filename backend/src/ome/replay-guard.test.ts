// ReplayGuard against the real Redis (shared by replicas) and a Redis that is not there.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ReplayGuard } from './replay-guard.js';

const logger = pino({ level: 'silent' });
const prefix = `${inject('redisPrefix')}:replay-guard:${randomUUID()}:`;
const live = new Redis(inject('redisUrl'), { maxRetriesPerRequest: null });
const dead = new Redis('redis://127.0.0.1:9', { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => 1000 });
dead.on('error', () => undefined);
afterAll(async () => {
  const keys = await live.keys(`${prefix}*`);
  if (keys.length) await live.del(...keys);
  live.disconnect();
  dead.disconnect();
});

describe('ReplayGuard', () => {
  it('says first once per body across replicas (two guards, one Redis), and forgets after the TTL', async () => {
    await live.ping();
    const replicaA = new ReplayGuard(live, prefix, 300, logger);
    const replicaB = new ReplayGuard(live, prefix, 300, logger);
    expect(await replicaA.firstSeen('body-1')).toBe('first');
    expect(await replicaB.firstSeen('body-1')).toBe('replayed');
    expect(await replicaA.firstSeen('body-1')).toBe('replayed');
    expect(await replicaB.firstSeen('body-2')).toBe('first');
    await new Promise((r) => setTimeout(r, 400));
    expect(await replicaB.firstSeen('body-1')).toBe('first');
  });

  it('fails open without Redis, answering at once, but still remembers within the process', async () => {
    const g = new ReplayGuard(dead, prefix, 60_000, logger);
    const t0 = Date.now();
    expect(await g.firstSeen('body-3')).toBe('unchecked');
    expect(Date.now() - t0).toBeLessThan(250);
    expect(await g.firstSeen('body-3')).toBe('replayed');
  });
});
