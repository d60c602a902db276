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

describe('URLs in request logs', () => {
  it('redacts token parameters however their names are encoded, and JWT-shaped values anywhere', async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const { stream } = await c.createStream({ name: 'encoded names', visibility: 'private' });
    const pb = (await c.get(`/api/streams/${stream.id}/playback`)).body;
    const jwtShaped = pb.token as string;
    const names = ['%74oken', 't%6Fk%65n', '%74%6F%6B%65%6E', 'TOKEN', 'Token', 'access%5Ftoken', '%61ccess_token', 'signature', 'key', 'to%6ben'];
    for (const name of names) {
      const r = await c.get(`/api/public/streams/${stream.id}/playback?${name}=${jwtShaped}`);
      expect(r.status).toBeLessThan(500);
    }
    // Express decodes names before looking them up: %74oken IS the token parameter.
    expect((await c.get(`/api/public/streams/${stream.id}/playback?%74oken=${jwtShaped}`)).status).toBe(200);
    // JWT-shaped values under names that are not credentials, and in the path, are redacted too.
    await c.get(`/api/public/streams/${stream.id}/playback?x=${jwtShaped}`);
    await c.get(`/api/public/streams/${jwtShaped}`);
    // Malformed percent-encoding in a name: the value is dropped rather than guessed about.
    await c.get(`/api/public/streams/${stream.id}/playback?%E0%A4%A=${encodeURIComponent('not-a-jwt-but-secret')}`);
    await new Promise((r) => setTimeout(r, 100));

    const lines = logs.lines.map((l) => JSON.parse(l) as { req?: { url?: string } }).filter((l) => l.req?.url?.includes('/api/public/streams/'));
    expect(lines.length).toBeGreaterThanOrEqual(names.length + 4);
    expect(logs.text).not.toContain(jwtShaped);
    expect(logs.text).not.toContain(jwtShaped.split('.')[1]!);
    expect(logs.text).not.toContain('not-a-jwt-but-secret');
    // The path and the names stay readable for operators.
    expect(logs.text).toContain(`/api/public/streams/${stream.id}/playback?%74oken=[redacted]`);
  });
});
