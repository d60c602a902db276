import { describe, expect, it } from 'vitest';
import { WEBHOOK_DELIVERY_DEFAULTS, webhookDeliveryEnv } from '@ocp/backend/webhooks';
import { ConfigError, loadConfig } from './index.js';

const base = { DATABASE_URL: 'postgresql://x@127.0.0.1/db', REDIS_URL: 'redis://127.0.0.1:6379', GCS_BUCKET: 'vods-bucket' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(base);
    expect(c).toMatchObject({
      redisPrefix: 'ocp',
      bullPrefix: 'ocp:bull',
      recordingsDir: '/var/lib/ome/records',
      gcs: { bucket: 'vods-bucket', prefix: 'vods/', apiEndpoint: null, signedUrlTtlSeconds: 3600, chunkSizeBytes: 0 },
      queue: { concurrency: 2, attempts: 5 },
      retention: { keepOriginalsHours: 24 },
      media: { ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe' },
      metrics: { port: 9100 },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('fails fast naming every missing variable', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/DATABASE_URL is required.*REDIS_URL is required.*GCS_BUCKET is required/);
  });
  it('treats empty optional values as unset, but keeps an explicitly empty prefix', () => {
    const c = loadConfig({ ...base, GCS_API_ENDPOINT: '', VOD_CONCURRENCY: '', GCS_PREFIX: '' });
    expect(c.gcs.apiEndpoint).toBeNull();
    expect(c.queue.concurrency).toBe(2);
    expect(c.gcs.prefix).toBe('');
    expect(loadConfig({ ...base, GCS_PREFIX: 'media/vod' }).gcs.prefix).toBe('media/vod/');
  });
  it('reads the ABR ladder (default: Server.xml\'s) and refuses a malformed one at start-up', () => {
    expect(loadConfig(base).abr).toEqual({
      ladder: [
        { name: '1080p', height: 1080, bitrateBps: 4_500_000 },
        { name: '720p', height: 720, bitrateBps: 2_500_000 },
        { name: '480p', height: 480, bitrateBps: 1_200_000 },
        { name: '360p', height: 360, bitrateBps: 600_000 },
      ],
      transcodeMissing: true,
      transcodePreset: 'veryfast',
      groupToleranceMs: 10_000,
    });
    expect(loadConfig({ ...base, VOD_LADDER: '240p:240:300000', VOD_TRANSCODE_MISSING: 'false' }).abr).toMatchObject({ ladder: [{ name: '240p' }], transcodeMissing: false });
    expect(() => loadConfig({ ...base, VOD_LADDER: '720p:720' })).toThrow(/VOD_LADDER: "720p:720" is not/);
    expect(() => loadConfig({ ...base, VOD_TRANSCODE_PRESET: 'placebo' })).toThrow(/VOD_TRANSCODE_PRESET/);
  });
  it('rejects contradictions', () => {
    expect(() => loadConfig({ ...base, GCS_CHUNK_SIZE_MB: '0.3' })).toThrow(/256 KiB/);
    expect(() => loadConfig({ ...base, GCS_API_ENDPOINT: 'gcs:4443' })).toThrow(/http/);
    expect(() => loadConfig({ ...base, VOD_STALLED_INTERVAL_MS: '90000', VOD_LOCK_DURATION_MS: '60000' })).toThrow(/STALLED/);
    expect(() => loadConfig({ ...base, VOD_CONCURRENCY: '0' })).toThrow(/VOD_CONCURRENCY/);
  });
  it("reads the webhook delivery policy with the backend's schema and defaults (one source for both services)", () => {
    expect(loadConfig(base).webhooks).toEqual(WEBHOOK_DELIVERY_DEFAULTS);
    expect(loadConfig({ ...base, WEBHOOK_DELIVERY_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' }).webhooks).toEqual({ attempts: 3, backoffMs: 50 });
    // Same bounds as the backend: a value one service refuses, the other refuses too.
    for (const [name, value] of [['WEBHOOK_DELIVERY_ATTEMPTS', '31'], ['WEBHOOK_DELIVERY_ATTEMPTS', '0'], ['WEBHOOK_BACKOFF_MS', '9'], ['WEBHOOK_BACKOFF_MS', 'soon']] as const) {
      expect(webhookDeliveryEnv[name].safeParse(value).success, `${name}=${value}`).toBe(false);
      expect(() => loadConfig({ ...base, [name]: value }), `${name}=${value}`).toThrow(new RegExp(name));
    }
  });
  it('refuses, in production, a connection URL with a password published in the example files', () => {
    // The compose stack's published DATABASE_URL (root .env.example) and a placeholder Redis password.
    const published = 'postgresql://ocp:dev-only-postgres-password-CHANGE-ME@postgres:5432/ocp';
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', DATABASE_URL: published })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', DATABASE_URL: published })).toThrow(/DATABASE_URL contains a placeholder password.*init-env/);
    expect(() => loadConfig({ ...base, REDIS_URL: 'redis://:change-me@redis:6379' })).toThrow(/REDIS_URL/); // NODE_ENV defaults to production
    expect(() => loadConfig({ ...base, NODE_ENV: 'development', DATABASE_URL: published })).not.toThrow();
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', DATABASE_URL: 'postgresql://ocp:3f9c0d2e8b7a6154f3e2d1c0b9a8f7e6@postgres:5432/ocp' })).not.toThrow();
  });
});
