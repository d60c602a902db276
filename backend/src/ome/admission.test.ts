// OME admission over real HTTP, real PostgreSQL and Redis, with request bodies shaped exactly like
// the ones captured from OME 0.20.0 (test/fixtures/ome/webhooks).
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, omeFixture, rtmpPublishUrl, sendAdmission, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';
import { omeSignature } from './signature.js';

let backend: RunningBackend;
let owner: Client;

beforeAll(async () => {
  backend = await startTestBackend();
  owner = new Client(backend.url);
  await owner.signUp();
});
afterAll(() => backend.stop());

const streamRow = (id: string) => backend.ctx.db.stream.findUniqueOrThrow({ where: { id } });
const sessionsOf = (id: string) => backend.ctx.db.streamSession.findMany({ where: { streamId: id }, orderBy: { startedAt: 'asc' } });
let port = 40000;
const nextClient = () => ({ address: '203.0.113.7', port: port++ });

function publish(url: string, client = nextClient(), fixture = 'rtmp-publish-opening') {
  return { client, send: () => sendAdmission(backend.url, omeBody(fixture, { url }, client)) };
}
function close(url: string, client: { address: string; port: number }, fixture = 'rtmp-publish-closing', newUrl = url) {
  return sendAdmission(backend.url, omeBody(fixture, { url, new_url: newUrl }, client));
}

describe('publish admission (incoming)', () => {
  it('admits RTMP with the current key, strips the token via new_url, and drives idle → live → ended', async () => {
    // Window 0: a closing ends the broadcast at once, as before the reconnect window (reconnect.test.ts).
    const { stream, ingest } = await owner.createStream({ name: 'rtmp show', reconnectWindowSeconds: 0 });
    expect(stream.status).toBe('idle');
    const url = rtmpPublishUrl(ingest);
    expect(url).toMatch(new RegExp(`^rtmp://live\\.example\\.test:1935/app/${stream.id}\\?token=`));

    const p = publish(url);
    const r = await p.send();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ allowed: true, reason: 'authorized', new_url: `rtmp://live.example.test:1935/app/${stream.id}` });
    const live = await streamRow(stream.id);
    expect(live.status).toBe('live');
    expect(live.lastStartedAt).not.toBeNull();
    const [session] = await sessionsOf(stream.id);
    expect(session).toMatchObject({ protocol: 'rtmp', clientAddress: '203.0.113.7', clientPort: p.client.port, endedAt: null });

    // A second encoder with the same key while live is refused.
    const second = await publish(url).send();
    expect(second.body).toEqual({ allowed: false, reason: 'stream already live' });

    // OME's closing carries new_url (the redirected URL) and the same client address/port.
    const c = await close(url, p.client, 'rtmp-publish-closing-new-url', `rtmp://live.example.test:1935/app/${stream.id}`);
    expect(c.status).toBe(200);
    expect(c.body).toEqual({});
    const ended = await streamRow(stream.id);
    expect(ended.status).toBe('ended');
    expect(ended.lastEndedAt).not.toBeNull();
    const [s2] = await sessionsOf(stream.id);
    expect(s2!.endedAt).not.toBeNull();
    expect(s2!.endReason).toBe('publisher_disconnected');

    // ended → live again on the next broadcast, as a new session.
    const again = publish(url);
    expect((await again.send()).body.allowed).toBe(true);
    expect((await streamRow(stream.id)).status).toBe('live');
    expect(await sessionsOf(stream.id)).toHaveLength(2);
    await close(url, again.client);
    expect((await streamRow(stream.id)).status).toBe('ended');
  });

  it('admits SRT with the token inside the streamid, as OME reports it', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'srt show', reconnectWindowSeconds: 0 });
    // OBS gets srt://host:9999?streamid=<encoded publish url>; OME reports the decoded URL.
    const streamid = new URL(ingest.srt.url.replace(/^srt:/, 'http:')).searchParams.get('streamid')!;
    expect(streamid).toMatch(new RegExp(`^srt://live\\.example\\.test:9999/app/${stream.id}\\?token=`));
    const p = publish(streamid, nextClient(), 'srt-publish-opening-with-query');
    const r = await p.send();
    expect(r.body).toEqual({ allowed: true, reason: 'authorized', new_url: `srt://live.example.test:9999/app/${stream.id}` });
    expect((await sessionsOf(stream.id))[0]!.protocol).toBe('srt');
    await close(streamid, p.client, 'srt-publish-closing-with-query');
    expect((await streamRow(stream.id)).status).toBe('ended');
  });

  it('admits WebRTC/WHIP without redirecting', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'whip show' });
    const r = await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { protocol: 'WebRTC', url: ingest.whip.url }, nextClient()));
    expect(r.body).toEqual({ allowed: true, reason: 'authorized' });
    expect((await sessionsOf(stream.id))[0]!.protocol).toBe('webrtc');
  });

  it('refuses a rotated key, and admits the new one', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'rotate' });
    const rotated = await owner.post(`/api/streams/${stream.id}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.rtmp.streamKey).not.toBe(ingest.rtmp.streamKey);
    const old = await publish(rtmpPublishUrl(ingest)).send();
    expect(old.body).toEqual({ allowed: false, reason: 'stream key was revoked' });
    expect((await streamRow(stream.id)).status).toBe('idle');
    const fresh = await publish(rtmpPublishUrl(rotated.body)).send();
    expect(fresh.body.allowed).toBe(true);
  });

  it('refuses forged, expired, foreign, missing and wrong-kind tokens; nothing is written', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'forgery' });
    const other = await owner.createStream({ name: 'other' });
    const base = `rtmp://live.example.test:1935/app/${stream.id}`;
    const secret = backend.ctx.config.auth.publishSecret;
    const cases: [string, string][] = [
      [`${base}`, 'missing stream key'],
      [`${base}?token=`, 'missing stream key'],
      [`${base}?token=abc.def.ghi`, 'invalid stream key'],
      [`${base}?token=${jwt.sign({ kv: 1 }, 'wrong-secret-wrong-secret-wrong-secret', { audience: 'publish', issuer: 'ocp', subject: stream.id })}`, 'invalid stream key'],
      [`${base}?token=${jwt.sign({ kv: 1 }, secret, { audience: 'publish', issuer: 'ocp', subject: stream.id, expiresIn: -10 })}`, 'expired stream key'],
      [`${base}?token=${jwt.sign({ kv: 1 }, secret, { audience: 'playback', issuer: 'ocp', subject: stream.id })}`, 'invalid stream key'],
      [`${base}?token=${jwt.sign({ kv: 1 }, '', { algorithm: 'none', audience: 'publish', issuer: 'ocp', subject: stream.id })}`, 'invalid stream key'],
      // another stream's valid key used on this stream's name
      [`${base}?token=${new URL(`http://x/?${other.ingest.rtmp.streamKey.split('?')[1]}`).searchParams.get('token')}`, 'stream key does not belong to this stream'],
      [`rtmp://live.example.test:1935/otherapp/${stream.id}?${ingest.rtmp.streamKey.split('?')[1]}`, 'unknown application'],
      [`rtmp://live.example.test:1935/app/not-a-stream?${ingest.rtmp.streamKey.split('?')[1]}`, 'unknown stream'],
      ['not a url', 'malformed stream url'],
    ];
    for (const [url, reason] of cases) {
      const r = await publish(url).send();
      expect(r.status, url).toBe(200);
      expect(r.body, url).toEqual({ allowed: false, reason });
    }
    expect((await streamRow(stream.id)).status).toBe('idle');
    expect(await sessionsOf(stream.id)).toHaveLength(0);
  });

  it('refuses protocols that cannot publish, and disabled streams', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'disabled' });
    const url = rtmpPublishUrl(ingest);
    const llhls = await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { protocol: 'LLHLS', url }, nextClient()));
    expect(llhls.body).toEqual({ allowed: false, reason: 'protocol llhls cannot publish' });
    expect((await owner.post(`/api/streams/${stream.id}/disable`)).body.stream.status).toBe('disabled');
    expect((await publish(url).send()).body).toEqual({ allowed: false, reason: 'stream disabled' });
    expect((await owner.post(`/api/streams/${stream.id}/enable`)).body.stream.status).toBe('idle');
    expect((await publish(url).send()).body.allowed).toBe(true);
  });

  it("ignores the closing OME sends after a denied publish: the live broadcast keeps going", async () => {
    const { stream, ingest } = await owner.createStream({ name: 'intruder' });
    const url = rtmpPublishUrl(ingest);
    const real = publish(url);
    expect((await real.send()).body.allowed).toBe(true);
    const intruder = publish(url);
    expect((await intruder.send()).body.allowed).toBe(false);
    // OME still sends closing for the refused connection (captured: rtmp-publish-closing-after-deny).
    // With the default reconnect window it must not open one either.
    expect((await close(url, intruder.client, 'rtmp-publish-closing-after-deny')).body).toEqual({});
    expect(await streamRow(stream.id)).toMatchObject({ status: 'live', reconnectDeadline: null });
    expect(await backend.ctx.db.streamSessionGap.count({ where: { session: { streamId: stream.id } } })).toBe(0);
    // The real publisher's closing opens the window.
    await close(url, real.client);
    expect((await streamRow(stream.id)).status).toBe('reconnecting');
  });

  it('lets exactly one of many simultaneous publishers in', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'race' });
    const url = rtmpPublishUrl(ingest);
    const results = await Promise.all(Array.from({ length: 12 }, () => publish(url).send()));
    expect(results.filter((r) => r.body.allowed === true)).toHaveLength(1);
    expect(await sessionsOf(stream.id)).toHaveLength(1);
  });
});

describe('playback admission (outgoing)', () => {
  it('admits LL-HLS and WebRTC viewers of a public stream with no token and no lifetime', async () => {
    const { stream } = await owner.createStream({ name: 'public', visibility: 'public' });
    const pb = await owner.get(`/api/streams/${stream.id}/playback`);
    expect(pb.body).toEqual({
      webrtc: `ws://live.example.test:3333/app/${stream.id}/abr`,
      llhls: `http://live.example.test:3333/app/${stream.id}/abr.m3u8`,
      token: null,
      expiresAt: null,
    });
    const hls = await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url: pb.body.llhls }));
    expect(hls.body).toEqual({ allowed: true, reason: 'authorized' });
    const rtc = await sendAdmission(backend.url, omeBody('webrtc-playback-opening', { url: pb.body.webrtc }));
    expect(rtc.body).toEqual({ allowed: true, reason: 'authorized' });
    // the viewer's closing needs no answer but {}
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-closing', { url: pb.body.llhls, new_url: pb.body.llhls }))).body).toEqual({});
  });

  it('admits private viewers only with a playback token for that stream, lifetime bounded by its expiry', async () => {
    const { stream } = await owner.createStream({ name: 'private', visibility: 'private' });
    const other = await owner.createStream({ name: 'private 2', visibility: 'private' });
    const pb = await owner.get(`/api/streams/${stream.id}/playback`);
    expect(pb.body.token).toEqual(expect.any(String));
    expect(pb.body.llhls).toBe(`http://live.example.test:3333/app/${stream.id}/abr.m3u8?token=${pb.body.token}`);
    const ttlMs = Date.parse(pb.body.expiresAt) - Date.now();
    expect(ttlMs).toBeGreaterThan(3500_000);
    expect(ttlMs).toBeLessThanOrEqual(3600_000);

    const ok = await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url: pb.body.llhls }));
    expect(ok.body.allowed).toBe(true);
    expect(ok.body.lifetime).toBeGreaterThan(3500_000);
    expect(ok.body.lifetime).toBeLessThanOrEqual(3600_000);
    const rtc = await sendAdmission(backend.url, omeBody('webrtc-playback-opening', { url: pb.body.webrtc }));
    expect(rtc.body.allowed).toBe(true);

    const base = `http://live.example.test:3333/app/${stream.id}/abr.m3u8`;
    const psecret = backend.ctx.config.auth.playbackSecret;
    const expired = jwt.sign({ iat: Math.floor(Date.now() / 1000) - 100, exp: Math.floor(Date.now() / 1000) - 10 }, psecret, { audience: 'playback', issuer: 'ocp', subject: stream.id });
    const future = jwt.sign({ iat: Math.floor(Date.now() / 1000) + 3600, exp: Math.floor(Date.now() / 1000) + 7200 }, psecret, { audience: 'playback', issuer: 'ocp', subject: stream.id });
    const otherToken = (await owner.get(`/api/streams/${other.stream.id}/playback`)).body.token;
    const publishToken = new URLSearchParams(other.ingest.rtmp.streamKey.split('?')[1]).get('token');
    const cases: [string, string][] = [
      [base, 'missing playback token'],
      [`${base}?token=${expired}`, 'expired playback token'],
      [`${base}?token=${future}`, 'invalid playback token'],
      [`${base}?token=${otherToken}`, 'playback token is for another stream'],
      [`${base}?token=${publishToken}`, 'invalid playback token'],
      [`${base}?token=${pb.body.token.slice(0, -3)}`, 'invalid playback token'],
    ];
    for (const [url, reason] of cases) {
      expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url }))).body, reason).toEqual({ allowed: false, reason });
    }
  });

  it('follows visibility changes at once, and refuses unknown and disabled streams', async () => {
    const { stream } = await owner.createStream({ name: 'flip', visibility: 'public' });
    const url = `http://live.example.test:3333/app/${stream.id}/abr.m3u8`;
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url }))).body.allowed).toBe(true);
    await owner.patch(`/api/streams/${stream.id}`, { visibility: 'private' });
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url }))).body).toEqual({ allowed: false, reason: 'missing playback token' });
    await owner.patch(`/api/streams/${stream.id}`, { visibility: 'public' });
    await owner.post(`/api/streams/${stream.id}/disable`);
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url }))).body).toEqual({ allowed: false, reason: 'stream disabled' });
    const unknown = `http://live.example.test:3333/app/00000000-0000-4000-8000-000000000000/abr.m3u8`;
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url: unknown }))).body).toEqual({ allowed: false, reason: 'unknown stream' });
    // a publish protocol asking to play
    expect((await sendAdmission(backend.url, omeBody('llhls-playback-opening', { url, protocol: 'RTMP' }))).body).toEqual({ allowed: false, reason: 'protocol rtmp cannot play' });
  });
});

describe('admission request hygiene', () => {
  it('answers a real captured OME request byte for byte (signature over the raw body)', async () => {
    // The captured body names stream1 with a non-JWT token: a valid signature, a refused publish.
    const cap = omeFixture('rtmp-publish-opening');
    // Captured on 2026-11-22: its request.time is now outside the replay window, whatever it names.
    const r = await sendAdmission(backend.url, cap.rawBody, omeSignature('test-ome-webhook-secret', cap.rawBody));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ allowed: false, reason: 'request time outside the allowed window' });
    // The same bytes with only the time's digits brought to now (same length, same form).
    const sentAt = cap.parsedBody.request.time as string;
    const fresh = cap.rawBody.replace(sentAt, new Date().toISOString().replace('Z', '+00:00'));
    expect(fresh.length).toBe(cap.rawBody.length);
    const r2 = await sendAdmission(backend.url, fresh, omeSignature('test-ome-webhook-secret', fresh));
    expect(r2.status).toBe(200);
    expect(r2.body).toEqual({ allowed: false, reason: 'unknown stream' });
  });

  it('refuses a missing, wrong or tampered signature with 401 and writes nothing', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'sig' });
    const body = omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, nextClient());
    const cases = [null, '', 'AAAA', omeSignature('wrong-secret', body), omeSignature('test-ome-webhook-secret', `${body} `)];
    for (const sig of cases) {
      const r = await sendAdmission(backend.url, body, sig);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('invalid_signature');
    }
    // the captured request signed with the capture's secret is not ours either
    const cap = omeFixture('rtmp-publish-opening');
    expect((await sendAdmission(backend.url, cap.rawBody, cap.headers['x-ome-signature']!)).status).toBe(401);
    expect((await streamRow(stream.id)).status).toBe('idle');
    expect(await sessionsOf(stream.id)).toHaveLength(0);
  });

  it('answers malformed JSON, wrong shapes and oversized bodies with a clear 4xx', async () => {
    const bad = async (raw: string, status: number, code: string) => {
      const r = await sendAdmission(backend.url, raw);
      expect(r.status, raw.slice(0, 60)).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toEqual(expect.any(String));
    };
    await bad('{"client":', 400, 'invalid_json');
    await bad('[]', 400, 'validation_error');
    await bad('null', 400, 'validation_error');
    await bad(JSON.stringify({ client: { address: '1.2.3.4', port: 1 }, request: { direction: 'sideways', protocol: 'RTMP', status: 'opening', url: 'rtmp://h/app/s' } }), 400, 'validation_error');
    await bad(JSON.stringify({ client: { address: '1.2.3.4', port: 'x' }, request: { direction: 'incoming', protocol: 'RTMP', status: 'opening', url: 'rtmp://h/app/s' } }), 400, 'validation_error');
    await bad(JSON.stringify({ client: { address: '1.2.3.4', port: 1 }, request: { direction: 'incoming', protocol: 'RTMP', status: 'opening', url: `rtmp://h/app/${'s'.repeat(5000)}` } }), 400, 'validation_error');
    await bad(JSON.stringify({ pad: 'x'.repeat(20_000) }), 413, 'payload_too_large');
    const r = await sendAdmission(backend.url, '');
    expect(r.status).toBe(400);
  });

  it('counts decisions in /metrics', async () => {
    const m = await fetch(`${backend.url}/metrics`).then((r) => r.text());
    expect(m).toMatch(/ome_admission_decisions_total\{direction="incoming",protocol="rtmp",result="allowed"\} \d+/);
    expect(m).toMatch(/ome_admission_decisions_total\{direction="outgoing",protocol="llhls",result="denied"\} \d+/);
    expect(m).toMatch(/ome_admission_decisions_total\{direction="unknown",protocol="unknown",result="bad_signature"\} \d+/);
  });
});
