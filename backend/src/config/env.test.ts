import { describe, expect, it } from 'vitest';
import { parseEnv } from './env.js';
import { WEBHOOK_DELIVERY_DEFAULTS, webhookDeliveryEnv } from '../webhooks/settings.js';
import { buildConfig } from './index.js';

const valid = {
  DATABASE_URL: 'postgresql://u@localhost/db',
  REDIS_URL: 'redis://localhost:6379',
  SESSION_JWT_SECRET: 's'.repeat(32),
  PUBLISH_JWT_SECRET: 'p'.repeat(32),
  PLAYBACK_JWT_SECRET: 'v'.repeat(32),
  OME_WEBHOOK_SECRET: 'ome-secret',
  OME_PUBLIC_HOST: 'live.example.com',
};

describe('config', () => {
  it('applies defaults', () => {
    const c = buildConfig(parseEnv(valid));
    expect(c.port).toBe(8080);
    expect(c.ome).toMatchObject({ app: 'app', vhost: 'default', rtmpPort: 1935, srtPort: 9999, tls: false, playlist: 'abr' });
    expect(Object.isFrozen(c)).toBe(true);
  });
  it('names every missing variable at once', () => {
    expect(() => parseEnv({})).toThrowError(/DATABASE_URL[\s\S]*REDIS_URL[\s\S]*SESSION_JWT_SECRET[\s\S]*OME_WEBHOOK_SECRET[\s\S]*OME_PUBLIC_HOST/);
  });
  it('treats empty values as unset and refuses short or shared secrets and bad ports', () => {
    expect(() => parseEnv({ ...valid, OME_PUBLIC_HOST: '' })).toThrowError(/OME_PUBLIC_HOST/);
    expect(() => parseEnv({ ...valid, PUBLISH_JWT_SECRET: 'short' })).toThrowError(/PUBLISH_JWT_SECRET must be at least 32/);
    expect(() => parseEnv({ ...valid, PLAYBACK_JWT_SECRET: valid.SESSION_JWT_SECRET })).toThrowError(/must all differ/);
    expect(() => parseEnv({ ...valid, OME_RTMP_PORT: '70000' })).toThrowError(/OME_RTMP_PORT/);
    expect(() => parseEnv({ ...valid, OME_PUBLIC_TLS: 'maybe' })).toThrowError(/OME_PUBLIC_TLS/);
  });
  it('reads the webhook delivery policy with the schema it shares with the VOD worker', () => {
    expect(buildConfig(parseEnv(valid)).webhooks).toMatchObject(WEBHOOK_DELIVERY_DEFAULTS);
    expect(buildConfig(parseEnv({ ...valid, WEBHOOK_DELIVERY_ATTEMPTS: '3', WEBHOOK_BACKOFF_MS: '50' })).webhooks).toMatchObject({ attempts: 3, backoffMs: 50 });
    for (const [name, value] of [['WEBHOOK_DELIVERY_ATTEMPTS', '31'], ['WEBHOOK_BACKOFF_MS', '9']] as const) {
      expect(webhookDeliveryEnv[name].safeParse(value).success).toBe(false);
      expect(() => parseEnv({ ...valid, [name]: value })).toThrowError(new RegExp(name));
    }
  });
  it('keeps outgoing requests to public addresses unless the operator opts in, and names a bad CIDR list', () => {
    expect(buildConfig(parseEnv(valid)).outbound).toEqual({ allowPrivate: false, allowedCidrs: [] });
    expect(buildConfig(parseEnv({ ...valid, WEBHOOK_ALLOW_PRIVATE: 'true' })).outbound.allowPrivate).toBe(true);
    expect(buildConfig(parseEnv({ ...valid, WEBHOOK_ALLOWED_CIDRS: '10.20.0.0/16, fd00::/8' })).outbound.allowedCidrs).toEqual(['10.20.0.0/16', 'fd00::/8']);
    expect(() => parseEnv({ ...valid, WEBHOOK_ALLOWED_CIDRS: '10.0.0.0/8,intranet' })).toThrowError(/WEBHOOK_ALLOWED_CIDRS[^\n]*"intranet"/);
    expect(() => parseEnv({ ...valid, WEBHOOK_ALLOW_PRIVATE: 'sure' })).toThrowError(/WEBHOOK_ALLOW_PRIVATE/);
  });
});
