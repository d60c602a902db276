import { Redis, type RedisOptions } from 'ioredis';

/** BullMQ workers block on Redis: they need maxRetriesPerRequest null to survive a Redis restart. */
export function createRedis(url: string, opts: RedisOptions = {}, onError?: (err: Error) => void): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, ...opts });
  // ioredis reconnects by itself; without a listener every refused reconnect is printed as "unhandled".
  redis.on('error', onError ?? (() => undefined));
  return redis;
}
