// PostgreSQL goes away while OME keeps asking: answers stay fast and well-formed, publish fails
// closed with a reason, viewers of streams already admitted keep getting in, /readyz says so, and
// everything resumes by itself when the database is back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend, waitFor } from '../../test/helpers.js';
import { TcpProxy } from '../../test/support/tcp-proxy.js';
import type { RunningBackend } from '../server.js';

let proxy: TcpProxy;
let backend: RunningBackend;
beforeAll(async () => {
  const db = new URL(inject('databaseUrl'));
  proxy = await new TcpProxy(db.hostname, Number(db.port || 5432)).start();
  db.port = String(proxy.port);
  backend = await startTestBackend({ DATABASE_URL: db.toString() });
});
afterAll(async () => {
  await backend.stop();
  await proxy.stop();
});

describe('admission while PostgreSQL is down', () => {
  it('fails closed fast, serves known viewers, reports not ready, and recovers', { timeout: 30_000 }, async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const watched = await c.createStream({ name: 'watched', visibility: 'public' });
    const idle = await c.createStream({ name: 'idle' });
    const cold = await c.createStream({ name: 'cold', visibility: 'public' });
    // Window 0: the parked closing ends the broadcast (no reconnect window).
    const onAir = await c.createStream({ name: 'on air', reconnectWindowSeconds: 0 });
    expect((await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(onAir.ingest) }, { port: 64009 }))).body.allowed).toBe(true);
    const hls = (id: string) => omeBody('llhls-playback-opening', { url: `http://live.example.test:3333/app/${id}/abr.m3u8` });
    expect((await sendAdmission(backend.url, hls(watched.stream.id))).body.allowed).toBe(true);

    await proxy.cut();

    const t0 = Date.now();
    const pub = await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(idle.ingest) }, { port: 64001 }));
    expect(Date.now() - t0).toBeLessThan(2_500);
    expect(pub.status).toBe(200);
    expect(pub.body).toEqual({ allowed: false, reason: 'admission temporarily unavailable' });

    expect((await sendAdmission(backend.url, hls(watched.stream.id))).body.allowed).toBe(true);
    const t1 = Date.now();
    expect((await sendAdmission(backend.url, hls(cold.stream.id))).body).toEqual({ allowed: false, reason: 'admission temporarily unavailable' });
    expect(Date.now() - t1).toBeLessThan(2_500);
    // The broadcast ends during the outage: OME gets {} at once and the end is applied later.
    const closedAt = Date.now();
    const closing = await sendAdmission(backend.url, omeBody('rtmp-publish-closing', { url: rtmpPublishUrl(onAir.ingest), new_url: rtmpPublishUrl(onAir.ingest) }, { port: 64009 }));
    expect(closing.status).toBe(200);
    expect(closing.body).toEqual({});

    const ready = await fetch(`${backend.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { database: string } }).checks.database).toMatch(/^down/);
    // API calls that need the database fail with the error shape, not a hang
    const list = await c.get('/api/streams');
    expect(list.status).toBe(503);
    expect(list.body.error.code).toBe('service_unavailable');

    await proxy.restore();

    const back = await waitFor(async () => {
      const r = await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(idle.ingest) }, { port: 64002 }));
      return r.body.allowed === true ? r : null;
    }, 'publish admitted again', 15_000);
    expect(back.body.reason).toBe('authorized');
    expect((await fetch(`${backend.url}/readyz`)).status).toBe(200);
    // the parked closing was applied with the time OME reported it
    const ended = await waitFor(async () => {
      const s = await backend.ctx.db.stream.findUniqueOrThrow({ where: { id: onAir.stream.id } });
      return s.status === 'ended' ? s : null;
    }, 'parked closing applied', 15_000);
    expect(Math.abs(ended.lastEndedAt!.getTime() - closedAt)).toBeLessThan(3_000);
  });
});
