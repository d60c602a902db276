import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, omeBody, rtmpPublishUrl, sendAdmission, startTestBackend } from '../../test/helpers.js';
import type { RunningBackend } from '../server.js';

let backend: RunningBackend;
let other: RunningBackend;
beforeAll(async () => {
  backend = await startTestBackend();
  // A second replica sharing the database and Redis prefix: events must cross replicas.
  other = await startTestBackend({ REDIS_PREFIX: backend.ctx.config.redisPrefix });
});
afterAll(async () => {
  await other.stop();
  await backend.stop();
});

/** Reads SSE events from a real streaming response until `count` arrive. */
async function collect(url: string, token: string, count: number, onOpen: () => Promise<void>) {
  const ac = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const events: { event: string; data: any }[] = [];
  let buf = '';
  let opened = false;
  const timeout = setTimeout(() => ac.abort(), 8000);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += new TextDecoder().decode(value);
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const chunk = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const ev = /^event: (.+)$/m.exec(chunk)?.[1];
        const data = /^data: (.+)$/m.exec(chunk)?.[1];
        if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
      }
      if (!opened && events.length >= 1) {
        opened = true;
        void onOpen();
      }
    }
  } finally {
    clearTimeout(timeout);
    ac.abort();
  }
  return events;
}

describe('status events (SSE)', () => {
  it('sends the current status, then live and ended as OME reports them, from any replica', async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const { stream, ingest } = await c.createStream({ name: 'sse', reconnectWindowSeconds: 0 });
    const url = rtmpPublishUrl(ingest);
    const client = { address: '198.51.100.4', port: 61000 };
    const events = await collect(`${backend.url}/api/streams/${stream.id}/events`, c.token!, 3, async () => {
      // OME talks to the other replica.
      await sendAdmission(other.url, omeBody('rtmp-publish-opening', { url }, client));
      await sendAdmission(other.url, omeBody('rtmp-publish-closing', { url, new_url: url }, client));
    });
    expect(events.map((e) => [e.event, e.data.streamId, e.data.status])).toEqual([
      ['stream.status', stream.id, 'idle'],
      ['stream.status', stream.id, 'live'],
      ['stream.status', stream.id, 'ended'],
    ]);
    expect(Date.parse(events[1]!.data.at)).not.toBeNaN();
  });

  it('carries the reconnect deadline while reconnecting, and null once live again', async () => {
    const c = new Client(backend.url);
    await c.signUp();
    const { stream, ingest } = await c.createStream({ name: 'sse reconnect', reconnectWindowSeconds: 30 });
    const url = rtmpPublishUrl(ingest);
    const first = { address: '198.51.100.4', port: 61010 };
    const second = { address: '198.51.100.4', port: 61011 };
    let closedAt = 0;
    const events = await collect(`${backend.url}/api/streams/${stream.id}/events`, c.token!, 4, async () => {
      await sendAdmission(other.url, omeBody('rtmp-publish-opening', { url }, first));
      closedAt = Date.now();
      await sendAdmission(other.url, omeBody('rtmp-publish-closing', { url, new_url: url }, first));
      await sendAdmission(other.url, omeBody('rtmp-publish-opening', { url }, second));
    });
    expect(events.map((e) => [e.data.status, e.data.reconnectDeadline === null])).toEqual([
      ['idle', true], ['live', true], ['reconnecting', false], ['live', true],
    ]);
    const deadline = Date.parse(events[2]!.data.reconnectDeadline);
    expect(Math.abs(deadline - (closedAt + 30_000))).toBeLessThan(2_000);
    // A dashboard that connects during the window gets the deadline in its first event.
    await sendAdmission(other.url, omeBody('rtmp-publish-closing', { url, new_url: url }, second));
    const snapshot = await collect(`${backend.url}/api/streams/${stream.id}/events`, c.token!, 1, async () => undefined);
    expect(snapshot[0]!.data).toMatchObject({ status: 'reconnecting', reconnectDeadline: expect.any(String) });
  });

  it("/api/events carries all of the caller's streams and nobody else's", async () => {
    const a = new Client(backend.url);
    const b = new Client(backend.url);
    await a.signUp();
    await b.signUp();
    const s1 = await a.createStream({ name: 'one' });
    const s2 = await a.createStream({ name: 'two' });
    const foreign = await b.createStream({ name: 'foreign' });
    const events = await collect(`${backend.url}/api/events`, a.token!, 3, async () => {
      await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(foreign.ingest) }, { port: 61001 }));
      await sendAdmission(backend.url, omeBody('rtmp-publish-opening', { url: rtmpPublishUrl(s2.ingest) }, { port: 61002 }));
    });
    expect(events.slice(0, 2).map((e) => e.data.streamId).sort()).toEqual([s1.stream.id, s2.stream.id].sort());
    expect(events[2]!.data).toMatchObject({ streamId: s2.stream.id, status: 'live' });
  });
});

describe('event streams at shutdown', () => {
  it('ends every open event stream at once (they never end on their own), and forgets closed ones', async () => {
    const leaving = await startTestBackend({ REDIS_PREFIX: backend.ctx.config.redisPrefix });
    const c = new Client(leaving.url);
    await c.signUp();
    const { stream } = await c.createStream({ name: 'shutdown' });
    const open = async (path: string) => {
      const res = await fetch(`${leaving.url}${path}`, { headers: { authorization: `Bearer ${c.token}` } });
      const reader = res.body!.getReader();
      await reader.read(); // the first bytes: the stream is open
      return reader;
    };
    // One closed by its dashboard first: it must not be kept (nor ended twice).
    const gone = await open('/api/events');
    await gone.cancel();
    await expect.poll(() => leaving.ctx.eventStreams.size).toBe(0);
    const readers = [await open(`/api/streams/${stream.id}/events`), await open('/api/events')];
    expect(leaving.ctx.eventStreams.size).toBe(2);
    const until = async (r: ReadableStreamDefaultReader<Uint8Array>) => {
      for (;;) if ((await r.read()).done) return Date.now();
    };
    const started = Date.now();
    const ends = readers.map(until);
    await leaving.stop();
    // Well before the 10 s after which shutdown closes every connection by force.
    for (const at of await Promise.all(ends)) expect(at - started).toBeLessThan(3_000);
    expect(leaving.ctx.eventStreams.size).toBe(0);
  }, 20_000);
});
