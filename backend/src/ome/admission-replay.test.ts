// Replay of signed admission requests (issue 17, item 4), over real HTTP, PostgreSQL and Redis:
// a captured opening POSTed again after the publisher left must not bring the stream back live,
// on this replica or another; an old request.time is refused; a replayed or stale CLOSING must
// not end a later session. Fail-open without Redis: replay-guard.test.ts (a Redis that is not there)
// and test/faults/redis-restart.test.ts (closings sent while Redis is down are still recorded).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, omeTime, rtmpPublishUrl, sendAdmission, startTestBackend, testEnv } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

const shared = testEnv().REDIS_PREFIX!;
let a: RunningBackend;
let b: RunningBackend;
let owner: Client;
let port = 41000;
const client = () => ({ address: '198.51.100.20', port: port++ });

beforeAll(async () => {
  // Two replicas of one deployment: same database, same Redis prefix.
  [a, b] = await Promise.all([startTestBackend({ REDIS_PREFIX: shared }), startTestBackend({ REDIS_PREFIX: shared })]);
  owner = new Client(a.url);
  await owner.signUp();
});
afterAll(() => Promise.all([a?.stop(), b?.stop()]));

const row = (id: string) => a.ctx.db.stream.findUniqueOrThrow({ where: { id } });
const sessions = (id: string) => a.ctx.db.streamSession.findMany({ where: { streamId: id }, orderBy: { startedAt: 'asc' } });

describe('replayed admission requests', () => {
  it('the identical signed opening, POSTed again after the publisher closed, is refused on every replica', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'replay me', reconnectWindowSeconds: 0 });
    const url = rtmpPublishUrl(ingest);
    const c = client();
    const opening = omeBody('rtmp-publish-opening', { url }, c);
    expect((await sendAdmission(a.url, opening)).body).toMatchObject({ allowed: true });
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-closing', { url, new_url: url }, c))).body).toEqual({});
    const ended = await row(stream.id);
    expect(ended.status).toBe('ended');

    for (const replica of [a, b, a]) {
      expect((await sendAdmission(replica.url, opening)).body).toEqual({ allowed: false, reason: 'replayed request' });
    }
    // Not live again, no phantom session, and no new go-live (which is what fires stream.live).
    expect(await row(stream.id)).toMatchObject({ status: 'ended', lastStartedAt: ended.lastStartedAt });
    expect(await sessions(stream.id)).toHaveLength(1);

    // A real new broadcast (a new request from OME) is admitted as usual, on either replica.
    expect((await sendAdmission(b.url, omeBody('rtmp-publish-opening', { url }, client()))).body).toMatchObject({ allowed: true });
  });

  it('a replayed opening reaching another replica first (never seen there) is still refused', async () => {
    const { ingest } = await owner.createStream({ name: 'cross replica' });
    const opening = omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(ingest) }, client());
    expect((await sendAdmission(b.url, opening)).body.allowed).toBe(true);
    expect((await sendAdmission(a.url, opening)).body).toEqual({ allowed: false, reason: 'replayed request' });
  });

  it('refuses openings whose request.time is outside the window; accepts modest skew and both offset forms', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'old time' });
    const url = rtmpPublishUrl(ingest);
    for (const [time, reason] of [
      ['2020-01-01T00:00:00.000+00:00', 'request time outside the allowed window'],
      [omeTime(Date.now() - 5 * 60_000), 'request time outside the allowed window'],
      [omeTime(Date.now() + 5 * 60_000), 'request time outside the allowed window'],
      ['not a time', 'request time malformed'],
    ] as const) {
      expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url, time }, client()))).body, time).toEqual({ allowed: false, reason });
    }
    const { time: _drop, ...withoutTime } = JSON.parse(omeBody('rtmp-publish-opening', { url }, client())).request;
    const noTime = JSON.stringify({ client: client(), request: withoutTime });
    expect((await sendAdmission(a.url, noTime)).body).toEqual({ allowed: false, reason: 'request time missing' });
    expect((await row(stream.id)).status).toBe('idle');
    expect(await sessions(stream.id)).toHaveLength(0);

    // Viewers too: a stale playback opening is refused.
    const pub = await owner.createStream({ name: 'public', visibility: 'public' });
    const hls = `http://live.example.test:3333/app/${pub.stream.id}/abr.m3u8`;
    expect((await sendAdmission(a.url, omeBody('llhls-playback-opening', { url: hls, time: '2020-01-01T00:00:00.000+00:00' }))).body).toEqual({ allowed: false, reason: 'request time outside the allowed window' });
    expect((await sendAdmission(a.url, omeBody('llhls-playback-opening', { url: hls }))).body.allowed).toBe(true);

    // 20 s of clock skew either way, in OME's +00:00 form and in Z form: admitted.
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url, time: omeTime(Date.now() + 20_000) }, client()))).body.allowed).toBe(true);
    const other = await owner.createStream({ name: 'behind' });
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(other.ingest), time: new Date(Date.now() - 20_000).toISOString() }, client()))).body.allowed).toBe(true);
  });

  it('a replayed or stale closing does not end a later session of the same client address and port', async () => {
    const { stream, ingest } = await owner.createStream({ name: 'closing replay', reconnectWindowSeconds: 0 });
    const url = rtmpPublishUrl(ingest);
    const c = client();
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url }, c))).body.allowed).toBe(true);
    const closing = omeBody('rtmp-publish-closing', { url, new_url: url }, c);
    expect((await sendAdmission(a.url, closing)).body).toEqual({});
    expect((await row(stream.id)).status).toBe('ended');

    // The encoder comes back from the same address and port (NAT): a new session.
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-opening', { url }, c))).body.allowed).toBe(true);
    expect((await row(stream.id)).status).toBe('live');

    // Replaying the first closing, on either replica, answers {} (OME ignores the answer) and changes nothing.
    expect((await sendAdmission(b.url, closing)).body).toEqual({});
    expect((await sendAdmission(a.url, closing)).body).toEqual({});
    // A closing stamped long ago (correctly signed, never seen) changes nothing either.
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-closing', { url, new_url: url, time: '2020-01-01T00:00:00.000+00:00' }, c))).body).toEqual({});
    await new Promise((r) => setTimeout(r, 200));
    expect((await row(stream.id)).status).toBe('live');
    const s = await sessions(stream.id);
    expect(s).toHaveLength(2);
    expect(s[1]!.endedAt).toBeNull();

    // OME's real closing for the new session still ends it.
    expect((await sendAdmission(a.url, omeBody('rtmp-publish-closing', { url, new_url: url }, c))).body).toEqual({});
    expect((await row(stream.id)).status).toBe('ended');
  });
});
