import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestHandler } from 'express';

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  admissions: Counter<'direction' | 'protocol' | 'result'>;
  admissionDuration: Histogram<'direction'>;
  webhookDeliveries: Counter<'result'>;
}

export function createMetrics(liveStreams: () => Promise<number>): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const m: Metrics = {
    registry,
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    admissions: new Counter({
      name: 'ome_admission_decisions_total',
      help: 'OME admission webhook decisions',
      labelNames: ['direction', 'protocol', 'result'],
      registers: [registry],
    }),
    admissionDuration: new Histogram({
      name: 'ome_admission_duration_seconds',
      help: 'Time to decide an OME admission request',
      labelNames: ['direction'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 3],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({ name: 'webhook_deliveries_total', help: 'Outgoing webhook delivery attempts', labelNames: ['result'], registers: [registry] }),
  };
  new Gauge({
    name: 'live_streams',
    help: 'Streams currently live',
    registers: [registry],
    async collect() {
      try {
        this.set(await liveStreams());
      } catch {
        // Database away: leave the last value; /readyz reports the outage.
      }
    },
  });
  return m;
}

/** Labels by the matched route pattern, never the raw path (ids would explode cardinality). */
export function httpMetrics(m: Metrics): RequestHandler {
  return (req, res, next) => {
    const end = m.httpDuration.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status_code: String(res.statusCode) });
    });
    next();
  };
}
