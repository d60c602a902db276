// Prometheus metrics of the worker, on their own registry (several workers may share a test process).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  jobs: Counter<'outcome'>;
  uploadedBytes: Counter;
  jobSeconds: Histogram;
}

export function createMetrics(withDefaults = true): Metrics {
  const registry = new Registry();
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'ocp_vod_' });
  return {
    registry,
    jobs: new Counter({
      name: 'ocp_vod_jobs_total',
      help: 'VOD jobs by outcome (ready, already_ready, discarded, unknown_stream, piece_registered, late_piece, session_gone, retry, failed)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    uploadedBytes: new Counter({ name: 'ocp_vod_uploaded_bytes_total', help: 'Bytes uploaded to GCS', registers: [registry] }),
    jobSeconds: new Histogram({
      name: 'ocp_vod_job_duration_seconds',
      help: 'Wall time of one VOD upload job attempt',
      buckets: [1, 5, 15, 30, 60, 120, 300, 900, 1800],
      registers: [registry],
    }),
  };
}
