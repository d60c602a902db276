import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Router } from 'express';
import type { AppContext } from '../context.js';
import { bearer } from './auth.js';
import { unauthorized } from './errors.js';

async function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** With METRICS_TOKEN set, Prometheus must send `Authorization: Bearer <token>` (compared in constant time). */
function metricsGate(token: string): RequestHandler {
  const expected = token ? digest(token) : null;
  return (req, res, next) => {
    if (!expected) return next();
    const given = bearer(req.headers.authorization);
    if (given !== null && timingSafeEqual(digest(given), expected)) return next();
    res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    throw unauthorized('Metrics need Authorization: Bearer <METRICS_TOKEN>');
  };
}

export function healthRoutes(router: Router, ctx: AppContext): void {
  router.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  router.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([within(ctx.db.$queryRaw`SELECT 1`, 1500), within(ctx.redis.ping(), 1500)]);
    const [database, redis] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : `down: ${(c.reason as Error).message}`));
    const ready = checks.every((c) => c.status === 'fulfilled');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks: { database, redis } });
  });
  router.get('/metrics', metricsGate(ctx.config.metricsToken), async (_req, res) => {
    res.set('content-type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
}
