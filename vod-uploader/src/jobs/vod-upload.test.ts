import { describe, expect, it } from 'vitest';
import { retryPolicy } from './policy.js';
import { VodUploadPayload, recordingIdOf, vodUploadJobId } from './vod-upload.js';

describe('vod-upload job contract', () => {
  it('derives ids from OME transactionId + sequence, never with the ":" BullMQ forbids', () => {
    expect(recordingIdOf('vyozBVI73kpreKHY', 0)).toBe('vyozBVI73kpreKHY-0');
    expect(vodUploadJobId('vyozBVI73kpreKHY', 3)).toBe('vod-vyozBVI73kpreKHY-3');
    expect(vodUploadJobId('a:b/c', 0)).toBe('vod-a_b_c-0');
    expect(vodUploadJobId('12345', 0)).not.toMatch(/^\d+$/);
  });
  it('validates payloads', () => {
    const ok = {
      recordingId: 't-0', transactionId: 't', sequence: 0, vhost: 'default', app: 'app', stream: 's', filePath: '/r/a.mp4', infoPath: '/r/info.xml',
      recordBytes: null, recordTimeMs: 1000, startTime: '2026-11-22T00:41:57.610Z', finishTime: null,
    };
    expect(VodUploadPayload.safeParse(ok).success).toBe(true);
    expect(VodUploadPayload.safeParse({ ...ok, sequence: -1 }).success).toBe(false);
    expect(VodUploadPayload.safeParse({ ...ok, startTime: 'yesterday' }).success).toBe(false);
  });
  it('retries with exponential backoff and keeps finished jobs for dedupe', () => {
    expect(retryPolicy(5, 15_000)).toMatchObject({ attempts: 5, backoff: { type: 'exponential', delay: 15_000 } });
    expect(retryPolicy(5, 15_000).removeOnComplete.age).toBeGreaterThanOrEqual(24 * 3600);
  });
});
