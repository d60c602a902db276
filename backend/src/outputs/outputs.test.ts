// Restream outputs over real HTTP, PostgreSQL and Redis, with OME's REST API stood in for by
// FakeOmePush (test/support/fake-ome-push.ts: the documented shapes, and where each comes from).
// The backend's exact requests to OME (method, path, body, Authorization) are asserted.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Client, isolatedDatabase, LogCapture, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import { FakeOmePush } from '../../test/support/fake-ome-push.js';
import type { ResolvedAddress } from '../net/guarded-agent.js';
import type { RunningBackend } from '../server.js';
import { newKeyEntry } from './crypto.js';

const TOKEN = 'outputs-test-ome-token';
const AUTH = `Basic ${Buffer.from(TOKEN).toString('base64')}`;
const KEY = 'live_abcd1234-SECRET-efgh5678';
const KEYS = newKeyEntry('k1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let ome: FakeOmePush;
let db: Awaited<ReturnType<typeof isolatedDatabase>>;
const running: RunningBackend[] = [];
const logs = new LogCapture();
const dns: Record<string, string[]> = { 'a.rtmp.youtube.com': ['142.250.0.10'], 'internal.example.test': ['10.0.0.5'] };
const resolve = async (h: string): Promise<ResolvedAddress[]> => {
  const a = dns[h];
  if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: 'ENOTFOUND' });
  return a.map((address) => ({ address, family: 4 }));
};
const env = (over: Record<string, string> = {}) => ({
  DATABASE_URL: db.url, OME_API_URL: ome.url, OME_API_ACCESS_TOKEN: TOKEN, OME_RECONCILE_INTERVAL_SECONDS: '0',
  OUTPUT_ENCRYPTION_KEYS: KEYS, OUTPUT_POLL_INTERVAL_MS: '100', OUTPUT_RETRY_BASE_MS: '400', OUTPUT_RETRY_MAX_MS: '1500',
  WEBHOOK_WORKER: 'false', RECONNECT_SWEEP_INTERVAL_MS: '100', ...over,
});
async function start(over: Record<string, string> = {}) {
  const b = await startTestBackend(env(over), logs, { resolve });
  running.push(b);
  return b;
}

let backend: RunningBackend;
let owner: Client;
let port = 52000;
const client = () => ({ address: '203.0.113.20', port: port++ });

beforeAll(async () => {
  ome = await new FakeOmePush(TOKEN).start();
  db = await isolatedDatabase('outputs');
  backend = await start();
  owner = new Client(backend.url);
  await owner.signUp();
  expect((await owner.post('/api/webhooks', { url: 'http://1.1.1.1:9/hook', events: ['output.active', 'output.failed'] })).status).toBe(201);
}, 60_000);
afterAll(async () => {
  for (const b of running) await b.stop();
  await ome.close();
  await db.drop();
});
beforeEach(() => {
  ome.requests.length = 0;
  ome.refuseStart = null;
});

/** A stream with a window of `window` seconds, live over RTMP; returns what ends it. */
async function liveStream(window = 0, c = owner, b = backend) {
  const { stream, ingest } = await c.createStream({ name: `show ${port}`, reconnectWindowSeconds: window });
  const url = rtmpPublishUrl(ingest);
  const who = client();
  const open = async () => {
    expect((await sendAdmission(b.url, omeBody('rtmp-publish-opening', { url }, who))).body.allowed).toBe(true);
    ome.live.add(stream.id);
  };
  const close = async () => {
    ome.live.delete(stream.id);
    await sendAdmission(b.url, omeBody('rtmp-publish-closing', { url, new_url: url }, who));
  };
  return { stream, open, close, who, url };
}
const addOutput = async (streamId: string, body: Record<string, unknown> = {}) => {
  const r = await owner.post(`/api/streams/${streamId}/outputs`, { name: 'YouTube', url: 'rtmp://1.1.1.1/live2', streamKey: KEY, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.output as { id: string; state: string };
};
const outputOf = async (streamId: string, id: string, c = owner) => ((await c.get(`/api/streams/${streamId}/outputs`)).body.outputs as { id: string; state: string; error: string | null }[]).find((o) => o.id === id)!;
const waitState = (streamId: string, id: string, state: string, ms = 8_000) =>
  waitFor(async () => {
    const o = await outputOf(streamId, id);
    return o.state === state ? o : null;
  }, `output ${id} ${state}`, ms);
const events = async (outputId: string) =>
  (await backend.ctx.db.webhookDelivery.findMany({ where: { payload: { path: ['data', 'outputId'], equals: outputId } }, orderBy: { createdAt: 'asc' } })).map((d) => ({
    type: d.eventType, data: (d.payload as { data: Record<string, unknown> }).data,
  }));

describe('restream outputs follow the broadcast', () => {
  it('starts a push for each enabled output when the stream goes live, with the exact OME request', async () => {
    const live = await liveStream();
    const yt = await addOutput(live.stream.id);
    const off = await addOutput(live.stream.id, { name: 'Twitch (off)', url: 'rtmp://1.1.1.2/app', enabled: false, rendition: '720p' });
    await sleep(300);
    expect(ome.of('startPush')).toHaveLength(0); // not on air: nothing pushed
    expect((await outputOf(live.stream.id, yt.id)).state).toBe('idle');

    await live.open();
    await waitFor(async () => ome.of('startPush').length === 1, 'startPush');
    const [req] = ome.of('startPush');
    expect(req).toEqual({
      method: 'POST', path: '/v1/vhosts/default/apps/app:startPush', authorization: AUTH, contentType: 'application/json',
      body: { id: `ocp-${yt.id}-1`, stream: { name: live.stream.id, variantNames: ['bypass_video', 'aac_audio'] }, protocol: 'rtmp', url: 'rtmp://1.1.1.1/live2', streamKey: KEY },
    });
    expect(ome.of('pushes')[0]).toMatchObject({ method: 'POST', path: '/v1/vhosts/default/apps/app:pushes', authorization: AUTH, body: {} });
    await waitState(live.stream.id, yt.id, 'active');
    expect((await outputOf(live.stream.id, off.id)).state).toBe('idle');
    await waitFor(async () => (await events(yt.id)).length === 1, 'output.active recorded');
    expect(await events(yt.id)).toEqual([{ type: 'output.active', data: expect.objectContaining({ outputId: yt.id, streamId: live.stream.id, state: 'active', pushId: `ocp-${yt.id}-1` }) }]);
    // Polling goes on, without a second push.
    await sleep(400);
    expect(ome.of('startPush')).toHaveLength(1);

    // The broadcast ends (window 0): the push stops.
    await live.close();
    await waitFor(async () => ome.of('stopPush').length === 1, 'stopPush');
    expect(ome.of('stopPush')[0]).toEqual({ method: 'POST', path: '/v1/vhosts/default/apps/app:stopPush', authorization: AUTH, contentType: 'application/json', body: { id: `ocp-${yt.id}-1` } });
    await waitState(live.stream.id, yt.id, 'stopped');
    expect(ome.pushes.size).toBe(0);
  });

  it('keeps pushes through the reconnect window and stops them when the window ends the broadcast', async () => {
    const live = await liveStream(1);
    const o = await addOutput(live.stream.id, { rendition: '480p' });
    await live.open();
    await waitState(live.stream.id, o.id, 'active');
    expect(ome.of('startPush')[0]!.body).toMatchObject({ stream: { variantNames: ['h264_480p', 'aac_audio'] } });
    await live.close();
    expect((await backend.ctx.db.stream.findUniqueOrThrow({ where: { id: live.stream.id } })).status).toBe('reconnecting');
    // OME shows the push waiting (`ready`) while the publisher is away; it is not stopped.
    await waitState(live.stream.id, o.id, 'starting');
    expect(ome.of('stopPush')).toHaveLength(0);
    await waitFor(async () => (await backend.ctx.db.stream.findUniqueOrThrow({ where: { id: live.stream.id } })).status === 'ended', 'window expired', 5_000);
    await waitFor(async () => ome.of('stopPush').length === 1, 'stopPush after the window');
    await waitState(live.stream.id, o.id, 'stopped');
    expect(ome.of('startPush')).toHaveLength(1);
  });

  it('an output added while live starts at once; disabled stops at once; re-enabled starts again; deleted stops', async () => {
    const live = await liveStream();
    await live.open();
    const o = await addOutput(live.stream.id, { name: 'Mux SRT', url: 'srt://1.1.1.3:6001?latency=2000000', streamKey: 'streamid=mux-KEY-0001&passphrase=pass-PHRASE-99' });
    await waitFor(async () => ome.of('startPush').length === 1, 'startPush right after POST', 2_000);
    // SRT: the credentials travel in the query (OME would append a streamKey as a path segment).
    expect(ome.of('startPush')[0]!.body).toEqual({
      id: `ocp-${o.id}-1`, stream: { name: live.stream.id, variantNames: ['bypass_video', 'aac_audio'] }, protocol: 'srt',
      url: 'srt://1.1.1.3:6001?latency=2000000&streamid=mux-KEY-0001&passphrase=pass-PHRASE-99', streamKey: '',
    });
    await waitState(live.stream.id, o.id, 'active');

    expect((await owner.patch(`/api/streams/${live.stream.id}/outputs/${o.id}`, { enabled: false })).status).toBe(200);
    await waitFor(async () => ome.of('stopPush').length === 1, 'stopPush right after PATCH', 2_000);
    await waitState(live.stream.id, o.id, 'stopped');

    expect((await owner.patch(`/api/streams/${live.stream.id}/outputs/${o.id}`, { enabled: true })).status).toBe(200);
    await waitFor(async () => ome.of('startPush').length === 2, 'startPush after re-enable', 2_000);
    expect(ome.of('startPush')[1]!.body).toMatchObject({ id: `ocp-${o.id}-2` });
    await waitState(live.stream.id, o.id, 'active');

    expect((await owner.del(`/api/streams/${live.stream.id}/outputs/${o.id}`)).status).toBe(204);
    await waitFor(async () => ome.of('stopPush').length === 2, 'stopPush after DELETE', 2_000);
    expect(ome.of('stopPush')[1]!.body).toEqual({ id: `ocp-${o.id}-2` });
    expect(ome.pushes.size).toBe(0);
    await live.close();
  });

  it('a new destination while live replaces the push (old one stopped, new one started); disabling the stream stops it', async () => {
    const live = await liveStream();
    const o = await addOutput(live.stream.id, { url: 'rtmp://1.1.1.8/app' });
    await live.open();
    await waitState(live.stream.id, o.id, 'active');
    const r = await owner.patch(`/api/streams/${live.stream.id}/outputs/${o.id}`, { url: 'rtmps://1.1.1.9:443/live2', rendition: '720p' });
    expect(r.status).toBe(200);
    expect(r.body.output).toMatchObject({ url: 'rtmps://1.1.1.9:443/live2', rendition: '720p', streamKeyLast4: KEY.slice(-4) });
    await waitFor(async () => ome.pushes.has(`ocp-${o.id}-2`) && !ome.pushes.has(`ocp-${o.id}-1`), 'push replaced');
    expect(ome.of('startPush', o.id)[1]!.body).toMatchObject({ url: 'rtmps://1.1.1.9:443/live2', streamKey: KEY, stream: { variantNames: ['h264_720p', 'aac_audio'] } });
    expect(ome.of('stopPush', o.id).map((x) => x.body)).toEqual([{ id: `ocp-${o.id}-1` }]);
    await waitState(live.stream.id, o.id, 'active');
    expect((await owner.post(`/api/streams/${live.stream.id}/disable`)).status).toBe(200);
    await waitFor(async () => ome.pushes.size === 0, 'stopped by disable');
    await waitState(live.stream.id, o.id, 'stopped');
  });

  it('OME refusing a push: error with OME\'s reason, output.failed once, retried with backoff until it works', async () => {
    const live = await liveStream();
    const o = await addOutput(live.stream.id);
    ome.refuseStart = 'Could not parse url';
    await live.open();
    const failed = await waitState(live.stream.id, o.id, 'error');
    expect(failed.error).toBe('OME refused the push (400): Could not parse url');
    expect((failed as unknown as { nextAttemptAt: string }).nextAttemptAt).toEqual(expect.any(String));
    const firstAt = Date.now();
    await waitFor(async () => ome.of('startPush').length >= 3, 'retries', 8_000);
    const starts = ome.of('startPush');
    // New push id per attempt; no retry before the backoff (400 ms, then 800 ms).
    expect(starts.map((r) => (r.body as { id: string }).id)).toEqual([1, 2, 3].map((n) => `ocp-${o.id}-${n}`));
    expect(Date.now() - firstAt).toBeGreaterThanOrEqual(900);
    ome.refuseStart = null;
    await waitState(live.stream.id, o.id, 'active');
    expect((await outputOf(live.stream.id, o.id)).error).toBeNull();
    await waitFor(async () => (await events(o.id)).length === 2, 'events');
    expect((await events(o.id)).map((e) => e.type)).toEqual(['output.failed', 'output.active']);
    expect((await events(o.id))[0]!.data).toMatchObject({ state: 'error', code: 'ome_refused', reason: 'OME refused the push (400): Could not parse url' });
    await live.close();
    await waitState(live.stream.id, o.id, 'stopped');
  });

  it('a push OME reports in error is stopped and retried later', async () => {
    const live = await liveStream();
    const o = await addOutput(live.stream.id, { url: 'rtmp://1.1.1.4/app' });
    ome.failingUrls.add('rtmp://1.1.1.4/app');
    await live.open();
    const e = await waitState(live.stream.id, o.id, 'error');
    expect(e.error).toMatch(/OME reports the push in state error/);
    await waitFor(async () => ome.of('stopPush').some((r) => (r.body as { id: string }).id === `ocp-${o.id}-1`), 'errored push stopped');
    ome.failingUrls.clear();
    await waitState(live.stream.id, o.id, 'active');
    expect(ome.pushes.has(`ocp-${o.id}-2`)).toBe(true);
    await live.close();
    await waitFor(async () => ome.pushes.size === 0, 'stopped');
  });

  it('OME restarted: the push is gone from its list, so it is started again (one push, not two)', async () => {
    const live = await liveStream();
    const o = await addOutput(live.stream.id);
    await live.open();
    await waitState(live.stream.id, o.id, 'active');
    ome.restart();
    await waitFor(async () => ome.of('startPush').length === 2, 'push started again');
    await waitState(live.stream.id, o.id, 'active');
    expect([...ome.pushes.keys()]).toEqual([`ocp-${o.id}-2`]);
    expect(ome.of('stopPush', o.id)).toHaveLength(0);
    await live.close();
    await waitFor(async () => ome.pushes.size === 0, 'stopped at the end');
  });

  it('OME unreachable: nothing changes; the push keeps its state and is not restarted', async () => {
    const live = await liveStream();
    const o = await addOutput(live.stream.id);
    await live.open();
    await waitState(live.stream.id, o.id, 'active');
    ome.down = true;
    await sleep(500);
    expect((await outputOf(live.stream.id, o.id)).state).toBe('active');
    ome.down = false;
    await sleep(300);
    expect(ome.of('startPush')).toHaveLength(1);
    await live.close();
    await waitFor(async () => ome.pushes.size === 0, 'stopped');
  });
});

describe('backend restarts', () => {
  it('a backend restarted while live adopts the running push (no duplicate), and stops it at the end', { timeout: 30_000 }, async () => {
    const first = await start();
    const c = new Client(first.url);
    c.token = owner.token;
    const live = await liveStream(0, c, first);
    const o = await addOutput(live.stream.id);
    await live.open();
    await waitFor(async () => ome.pushes.get(`ocp-${o.id}-1`)?.state === 'pushing' || (ome.live.has(live.stream.id) && ome.pushes.has(`ocp-${o.id}-1`)), 'push running');
    await waitState(live.stream.id, o.id, 'active');
    await first.stop();
    // `backend` (another replica on this database) keeps running too: neither may start a second push.
    ome.requests.length = 0;
    const second = await start();
    await sleep(600);
    expect(ome.of('pushes').length).toBeGreaterThan(0);
    expect(ome.of('startPush')).toHaveLength(0);
    expect(ome.of('stopPush')).toHaveLength(0);
    expect([...ome.pushes.keys()]).toEqual([`ocp-${o.id}-1`]);
    // The broadcast ends while the second backend runs: it stops the push it adopted.
    ome.live.delete(live.stream.id);
    await sendAdmission(second.url, omeBody('rtmp-publish-closing', { url: live.url, new_url: live.url }, live.who));
    await waitFor(async () => ome.pushes.size === 0, 'stopped by the restarted backend');
    await second.stop();
  });

  it('a push left by a crash (no output owns it) is stopped by the start-up sweep; foreign pushes are left alone', async () => {
    ome.pushes.set('ocp-00000000-0000-4000-8000-000000000001-3', { id: 'ocp-00000000-0000-4000-8000-000000000001-3', state: 'ready', stream: { name: 'x', trackIds: [], variantNames: [] }, protocol: 'rtmp', url: 'rtmp://1.1.1.1/a', streamKey: 'k' });
    ome.pushes.set('someone-elses-push', { id: 'someone-elses-push', state: 'ready', stream: { name: 'x', trackIds: [], variantNames: [] }, protocol: 'rtmp', url: 'rtmp://1.1.1.1/a', streamKey: 'k' });
    const b = await start();
    await waitFor(async () => !ome.pushes.has('ocp-00000000-0000-4000-8000-000000000001-3'), 'orphan stopped');
    expect(ome.pushes.has('someone-elses-push')).toBe(true);
    ome.pushes.delete('someone-elses-push');
    await b.stop();
  });
});

describe('destinations and the private-network policy', () => {
  it('refuses loopback, private and link-local destinations (every spelling) with 400 output_url_not_allowed', async () => {
    const { stream } = await owner.createStream({ name: 'policy' });
    for (const url of ['rtmp://127.0.0.1/app', 'rtmp://0x7f.1/app', 'rtmps://[::1]/app', 'srt://10.0.0.8:9000', 'rtmp://169.254.169.254/latest', 'rtmp://localhost/app', 'rtmp://[::ffff:192.168.1.1]/app']) {
      const r = await owner.post(`/api/streams/${stream.id}/outputs`, { name: 'x', url, streamKey: KEY });
      expect([r.status, r.body.error?.code], url).toEqual([400, 'output_url_not_allowed']);
    }
    for (const [url, code] of [['http://1.1.1.1/app', 'output_url_scheme'], ['rtmp://1.1.1.1', 'output_url_invalid'], ['srt://1.1.1.1:1?passphrase=x', 'output_url_has_credentials'], ['srt://1.1.1.1:1?mode=listener', 'output_url_invalid'], ['rtmp://u:p@1.1.1.1/app', 'output_url_invalid']] as const) {
      const r = await owner.post(`/api/streams/${stream.id}/outputs`, { name: 'x', url, streamKey: KEY });
      expect([r.status, r.body.error?.code], url).toEqual([400, code]);
    }
    expect((await owner.post(`/api/streams/${stream.id}/outputs`, { name: 'no key', url: 'rtmp://1.1.1.1/app' })).status).toBe(400);
    expect(await backend.ctx.db.streamOutput.count({ where: { streamId: stream.id } })).toBe(0);
  });

  it('allows private destinations when the operator opts in (WEBHOOK_ALLOW_PRIVATE)', async () => {
    const b = await start({ WEBHOOK_ALLOW_PRIVATE: 'true' });
    const c = new Client(b.url);
    c.token = owner.token;
    const { stream } = await c.createStream({ name: 'lab' });
    expect((await c.post(`/api/streams/${stream.id}/outputs`, { name: 'lab', url: 'rtmp://10.0.0.8/app', streamKey: KEY })).status).toBe(201);
    await b.stop();
  });

  it('a host name resolving into a blocked range is refused at push start (error blocked_address), never sent to OME', async () => {
    const live = await liveStream();
    const bad = await addOutput(live.stream.id, { url: 'rtmp://internal.example.test/app' });
    const yt = await addOutput(live.stream.id, { url: 'rtmps://a.rtmp.youtube.com:443/live2' });
    await live.open();
    const e = await waitState(live.stream.id, bad.id, 'error');
    expect(e.error).toMatch(/^blocked_address: internal\.example\.test resolves to a private-network address/);
    await waitState(live.stream.id, yt.id, 'active');
    expect(ome.of('startPush').map((r) => (r.body as { url: string }).url)).toEqual(['rtmps://a.rtmp.youtube.com:443/live2']);
    await live.close();
    await waitFor(async () => ome.pushes.size === 0, 'stopped');
  });
});

describe('the destination stream key', () => {
  it('is never in an API response (last 4 only) nor in a log line, even when OME echoes it', async () => {
    const live = await liveStream();
    const created = await owner.post(`/api/streams/${live.stream.id}/outputs`, { name: 'Twitch', url: 'rtmp://1.1.1.5/app', streamKey: KEY });
    expect(created.body.output.streamKeyLast4).toBe(KEY.slice(-4));
    const patched = await owner.patch(`/api/streams/${live.stream.id}/outputs/${created.body.output.id}`, { streamKey: `${KEY}-2` });
    expect(patched.body.output.streamKeyLast4).toBe(`${KEY}-2`.slice(-4));
    ome.refuseStart = `Failed to start session. url(rtmp://1.1.1.5/app) streamKey(${KEY}-2)`;
    await live.open();
    const e = await waitState(live.stream.id, created.body.output.id, 'error');
    expect(e.error).toContain('[redacted]');
    ome.refuseStart = null;
    await waitState(live.stream.id, created.body.output.id, 'active');
    const list = await owner.get(`/api/streams/${live.stream.id}/outputs`);
    const deliveries = await backend.ctx.db.webhookDelivery.findMany({ where: { payload: { path: ['data', 'outputId'], equals: created.body.output.id } } });
    for (const text of [JSON.stringify(created.body), JSON.stringify(patched.body), JSON.stringify(list.body), JSON.stringify(deliveries), logs.text]) {
      expect(text).not.toContain(KEY);
    }
    // At rest: only ciphertext (and the key id) in the row.
    const row = await backend.ctx.db.streamOutput.findUniqueOrThrow({ where: { id: created.body.output.id } });
    expect(JSON.stringify(row)).not.toContain(KEY);
    expect(row.streamKeyKid).toBe('k1');
    await live.close();
    await waitFor(async () => ome.pushes.size === 0, 'stopped');
  });
});

describe('event-driven, not only polled', () => {
  it('with a one-minute poll, going live, adding, disabling and the end still act within a second (status events and output changes trigger ticks)', { timeout: 30_000 }, async () => {
    const own = await isolatedDatabase('outputs_events');
    const b = await startTestBackend(env({ DATABASE_URL: own.url, OUTPUT_POLL_INTERVAL_MS: '60000' }), undefined, { resolve });
    try {
      const c = new Client(b.url);
      await c.signUp();
      await sleep(300); // the start-up tick is over
      ome.requests.length = 0;
      const live = await liveStream(0, c, b);
      const first = (await c.post(`/api/streams/${live.stream.id}/outputs`, { name: 'a', url: 'rtmp://1.1.1.6/app', streamKey: KEY })).body.output;
      await live.open();
      await waitFor(async () => ome.of('startPush', first.id).length === 1, 'started on the live event', 1_500);
      const second = (await c.post(`/api/streams/${live.stream.id}/outputs`, { name: 'b', url: 'rtmp://1.1.1.7/app', streamKey: KEY })).body.output;
      await waitFor(async () => ome.of('startPush', second.id).length === 1, 'started on POST', 1_500);
      await c.patch(`/api/streams/${live.stream.id}/outputs/${second.id}`, { enabled: false });
      await waitFor(async () => ome.of('stopPush', second.id).length === 1, 'stopped on PATCH', 1_500);
      await live.close();
      await waitFor(async () => ome.of('stopPush', first.id).length === 1, 'stopped on the end', 1_500);
    } finally {
      await b.stop();
      await own.drop();
    }
  });
});

describe('two replicas', () => {
  it('one push per output whichever replica acts, and one stop each at the end (advisory lock per tick, conditional writes)', { timeout: 40_000 }, async () => {
    const own = await isolatedDatabase('outputs_replicas');
    const a = await startTestBackend(env({ DATABASE_URL: own.url, OUTPUT_POLL_INTERVAL_MS: '50' }), undefined, { resolve });
    const b = await startTestBackend(env({ DATABASE_URL: own.url, OUTPUT_POLL_INTERVAL_MS: '50' }), undefined, { resolve });
    try {
      const ca = new Client(a.url);
      await ca.signUp();
      const cb = new Client(b.url);
      cb.token = ca.token;
      const live = await liveStream(0, ca, a);
      const ids: string[] = [];
      for (let i = 0; i < 6; i++) {
        const c = i % 2 ? cb : ca;
        ids.push((await c.post(`/api/streams/${live.stream.id}/outputs`, { name: `o${i}`, url: `rtmp://1.1.2.${i + 1}/app`, streamKey: KEY })).body.output.id);
      }
      await live.open();
      await waitFor(async () => (await a.ctx.db.streamOutput.count({ where: { streamId: live.stream.id, state: 'active' } })) === 6, 'all active', 10_000);
      await sleep(500);
      for (const id of ids) expect(ome.of('startPush', id), id).toHaveLength(1);
      expect([...ome.pushes.keys()].filter((k) => ids.some((id) => k.startsWith(`ocp-${id}-`))).sort()).toEqual(ids.map((id) => `ocp-${id}-1`).sort());
      await live.close();
      await waitFor(async () => (await a.ctx.db.streamOutput.count({ where: { streamId: live.stream.id, state: 'stopped' } })) === 6, 'all stopped', 10_000);
      await sleep(300);
      for (const id of ids) expect(ome.of('stopPush', id), id).toHaveLength(1);
    } finally {
      await a.stop();
      await b.stop();
      await own.drop();
    }
  });
});
