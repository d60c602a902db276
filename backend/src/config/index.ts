import { parseEnv, type Env } from './env.js';
import type { TrustProxy } from './trust-proxy.js';
import type { AddressPolicy } from '../net/address-policy.js';
import { webhookDeliverySettings } from '../webhooks/settings.js';
import { parseKeyRing, type KeyRing } from '../outputs/crypto.js';

export interface Config {
  env: Env['NODE_ENV'];
  host: string;
  port: number;
  logLevel: Env['LOG_LEVEL'];
  databaseUrl: string;
  databasePoolSize: number;
  redisUrl: string;
  redisPrefix: string;
  corsOrigins: string[];
  /** Express `trust proxy`: true/false, a hop count, or addresses / CIDR ranges / named ranges. */
  trustProxy: TrustProxy;
  bodyLimit: string;
  /** Bearer token Prometheus must send for /metrics; '' = /metrics is open. */
  metricsToken: string;
  auth: {
    sessionSecret: string;
    sessionTtlSeconds: number;
    publishSecret: string;
    playbackSecret: string;
    playbackTtlSeconds: number;
    loginRatePerMinute: number;
    /** Failed logins one account may take per window, from any address. */
    accountLoginFailures: number;
    accountLoginWindowSeconds: number;
    /** Who may sign up (the first account of an empty instance always may). */
    registration: 'open' | 'invite' | 'closed';
    /** The first account of an empty instance becomes admin. */
    firstAccountAdmin: boolean;
    inviteTtlHours: number;
  };
  ome: {
    webhookSecret: string;
    vhost: string;
    app: string;
    playlist: string;
    publicHost: string;
    tls: boolean;
    rtmpPort: number;
    srtPort: number;
    webrtcPort: number;
    llhlsPort: number;
    apiUrl: string;
    apiAccessToken: string;
    apiTimeoutMs: number;
    /** request.time of an admission request may differ from the server clock by at most this (replay window). */
    admissionWindowSeconds: number;
    /** Seconds between checks of live streams against OME's stream list; 0 = start-up only. */
    reconcileIntervalSeconds: number;
    /** Kick jobs (streams/kick.ts): attempts and first backoff. */
    kickAttempts: number;
    kickBackoffMs: number;
  };
  webhooks: { timeoutMs: number; attempts: number; backoffMs: number; runWorker: boolean; autoDisableDays: number };
  /** Restream outputs: the stream-key ring (null = not configured: outputs cannot be created), poll and retry timing. */
  outputs: { keyRing: KeyRing | null; pollIntervalMs: number; retryBaseMs: number; retryMaxMs: number };
  /** Which addresses requests to user-typed URLs may reach (webhooks; restream destinations). */
  outbound: AddressPolicy;
  /** Health sampling of live broadcasts (health/sampler.ts): interval (0 = off) and retention (0 = keep). */
  healthSamples: { intervalMs: number; retentionDays: number };
  /** Viewer beacons (analytics/): rate budgets per minute, batching, latency sample retention (0 = keep). */
  beacons: { ratePerIpPerMinute: number; ratePerViewerPerMinute: number; flushIntervalMs: number; batchMaxRows: number; bufferMaxRows: number; latencyRetentionDays: number };
  /** Test-only fault injection point (NODE_ENV=test); '' = none. */
  testFaultPoint: string;
  /** Milliseconds between sweeps for reconnect windows that passed (streams/reconnect-expiry.ts). */
  reconnectSweepIntervalMs: number;
  gcs: { bucket: string; prefix: string; apiEndpoint: string; publicEndpoint: string; projectId: string; credentialsFile: string; signedUrlTtlSeconds: number };
  /** Clips and MP4 downloads of VODs (vods/edits.ts): range limits, download URL lifetime. */
  vodEdits: { clipMinMs: number; clipMaxMs: number; downloadUrlTtlSeconds: number };
}

export function buildConfig(env: Env): Config {
  return Object.freeze({
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    corsOrigins: env.CORS_ORIGIN.split(',').map((s) => s.trim()).filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    bodyLimit: env.BODY_LIMIT,
    metricsToken: env.METRICS_TOKEN ?? '',
    auth: {
      sessionSecret: env.SESSION_JWT_SECRET,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      publishSecret: env.PUBLISH_JWT_SECRET,
      playbackSecret: env.PLAYBACK_JWT_SECRET,
      playbackTtlSeconds: env.PLAYBACK_TOKEN_TTL_SECONDS,
      loginRatePerMinute: env.LOGIN_RATE_LIMIT_PER_MINUTE,
      accountLoginFailures: env.LOGIN_ACCOUNT_MAX_FAILURES,
      accountLoginWindowSeconds: env.LOGIN_ACCOUNT_WINDOW_SECONDS,
      registration: env.REGISTRATION,
      firstAccountAdmin: env.FIRST_ACCOUNT_ADMIN,
      inviteTtlHours: env.INVITE_TTL_HOURS,
    },
    ome: {
      webhookSecret: env.OME_WEBHOOK_SECRET,
      vhost: env.OME_VHOST,
      app: env.OME_APP,
      playlist: env.OME_PLAYLIST,
      publicHost: env.OME_PUBLIC_HOST,
      tls: env.OME_PUBLIC_TLS,
      rtmpPort: env.OME_RTMP_PORT,
      srtPort: env.OME_SRT_PORT,
      webrtcPort: env.OME_WEBRTC_PORT,
      llhlsPort: env.OME_LLHLS_PORT,
      apiUrl: env.OME_API_URL,
      apiAccessToken: env.OME_API_ACCESS_TOKEN,
      apiTimeoutMs: env.OME_API_TIMEOUT_MS,
      admissionWindowSeconds: env.OME_ADMISSION_WINDOW_SECONDS,
      reconcileIntervalSeconds: env.OME_RECONCILE_INTERVAL_SECONDS,
      kickAttempts: env.OME_KICK_ATTEMPTS,
      kickBackoffMs: env.OME_KICK_BACKOFF_MS,
    },
    reconnectSweepIntervalMs: env.RECONNECT_SWEEP_INTERVAL_MS,
    outputs: {
      keyRing: env.OUTPUT_ENCRYPTION_KEYS ? parseKeyRing(env.OUTPUT_ENCRYPTION_KEYS) : null,
      pollIntervalMs: env.OUTPUT_POLL_INTERVAL_MS,
      retryBaseMs: env.OUTPUT_RETRY_BASE_MS,
      retryMaxMs: env.OUTPUT_RETRY_MAX_MS,
    },
    webhooks: {
      timeoutMs: env.WEBHOOK_DELIVERY_TIMEOUT_MS,
      ...webhookDeliverySettings(env),
      runWorker: env.WEBHOOK_WORKER,
      autoDisableDays: env.WEBHOOK_AUTO_DISABLE_DAYS,
    },
    testFaultPoint: env.TEST_FAULT_POINT ?? '',
    healthSamples: { intervalMs: env.HEALTH_SAMPLE_INTERVAL_MS, retentionDays: env.HEALTH_SAMPLE_RETENTION_DAYS },
    beacons: {
      ratePerIpPerMinute: env.BEACON_RATE_LIMIT_PER_IP_PER_MINUTE,
      ratePerViewerPerMinute: env.BEACON_RATE_LIMIT_PER_VIEWER_PER_MINUTE,
      flushIntervalMs: env.BEACON_FLUSH_INTERVAL_MS,
      batchMaxRows: env.BEACON_BATCH_MAX_ROWS,
      bufferMaxRows: env.BEACON_BUFFER_MAX_ROWS,
      latencyRetentionDays: env.LATENCY_SAMPLE_RETENTION_DAYS,
    },
    outbound: Object.freeze({ allowPrivate: env.WEBHOOK_ALLOW_PRIVATE, allowedCidrs: Object.freeze(env.WEBHOOK_ALLOWED_CIDRS) }),
    gcs: {
      bucket: env.GCS_BUCKET,
      prefix: env.GCS_PREFIX,
      apiEndpoint: env.GCS_API_ENDPOINT,
      publicEndpoint: env.GCS_PUBLIC_ENDPOINT.replace(/\/+$/, ''),
      projectId: env.GCS_PROJECT_ID,
      credentialsFile: env.GOOGLE_APPLICATION_CREDENTIALS,
      signedUrlTtlSeconds: env.SIGNED_URL_TTL_SECONDS,
    },
    vodEdits: {
      clipMinMs: Math.round(env.CLIP_MIN_SECONDS * 1000),
      clipMaxMs: Math.round(env.CLIP_MAX_SECONDS * 1000),
      downloadUrlTtlSeconds: env.DOWNLOAD_URL_TTL_SECONDS,
    },
  });
}

/** Reads and validates process.env once, at start-up. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  return buildConfig(parseEnv(source));
}

export { ConfigError } from './env.js';
