import { describe, expect, it } from 'vitest';
import { testConfig } from '../../test/helpers.js';
import { createVodStorage } from './storage.js';

describe('signed VOD URLs', () => {
  const gcs = (extra: Record<string, string>) => testConfig({ GCS_BUCKET: 'vods-bucket', GCS_API_ENDPOINT: 'http://gcs:4443', ...extra }).gcs;

  it('point at the API endpoint by default', async () => {
    const url = new URL(await createVodStorage(gcs({})).signedReadUrl('vods/v1/poster.jpg', 60));
    expect(url.origin).toBe('http://gcs:4443');
    expect(url.pathname).toBe('/vods-bucket/vods/v1/poster.jpg');
    expect(url.searchParams.get('X-Goog-Algorithm')).toBe('GOOG4-RSA-SHA256');
    expect(url.searchParams.get('X-Goog-Expires')).toBe('60');
  });

  it('use GCS_PUBLIC_ENDPOINT when browsers reach the storage server under another name', async () => {
    const url = new URL(await createVodStorage(gcs({ GCS_PUBLIC_ENDPOINT: 'http://localhost:4443/' })).signedReadUrl('vods/v1/poster.jpg', 60));
    expect(url.origin).toBe('http://localhost:4443');
    expect(url.pathname).toBe('/vods-bucket/vods/v1/poster.jpg');
    expect(url.searchParams.get('X-Goog-Signature')).toMatch(/^[0-9a-f]+$/);
  });
});
