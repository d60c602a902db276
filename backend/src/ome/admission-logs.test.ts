import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, LogCapture, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const logs = new LogCapture();
let backend: RunningBackend;
beforeAll(async () => void (backend = await startTestBackend({}, logs)));
afterAll(() => backend.stop());

describe('logging', () => {
  it('logs refusals with a reason but never the stream key, playback token or session token', async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const { stream, ingest } = await c.createStream({ name: 'quiet', visibility: 'private' });
    const key = new URLSearchParams(ingest.rtmp.streamKey.split('?')[1]).get('token')!;
    const url = rtmpPublishUrl(ingest);
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url }, { port: 63001 }))).body.allowed).toBe(true);
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url }, { port: 63002 }))).body.reason).toBe('stream already live');
    const pb = (await c.get(`/api/streams/${stream.id}/playback`)).body;
    await c.get(`/api/public/streams/${stream.id}/playback?token=${pb.token}`);
    await c.post(`/api/streams/${stream.id}/rotate-key`);
    await new Promise((r) => setTimeout(r, 100));

    expect(logs.text).toContain('admission denied');
    expect(logs.text).toContain('stream already live');
    expect(logs.text).toContain('token=[redacted]');
    for (const secret of [key, pb.token, c.token!]) expect(logs.text).not.toContain(secret);
  });
});
